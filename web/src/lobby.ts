import { h } from './dom.js';
import type { UserMessage } from './messages.js';

/**
 * The lobby: room name and display name (and a token field when the server does not mint
 * development tokens, or when the user wants to paste one). Shows why the last attempt failed.
 */
export interface LobbyChoice {
  room: string;
  displayName: string;
  token: string | undefined;
  camera: boolean;
  relayOnly: boolean;
}

export interface LobbyOptions {
  room: string;
  displayName: string;
  relayOnly: boolean;
  camera: boolean;
  /** Show the token field from the start. */
  askForToken: boolean;
  error?: { code: string; message: UserMessage } | undefined;
  onJoin(choice: LobbyChoice): void;
}

const ROOM_PATTERN = '[A-Za-z0-9][A-Za-z0-9._~:\\-]{0,127}';

export function renderLobby(options: LobbyOptions): HTMLElement {
  const room = h('input', { id: 'room', name: 'room', required: true, pattern: ROOM_PATTERN, maxlength: 128, value: options.room, autocomplete: 'off' });
  const displayName = h('input', { id: 'display-name', name: 'displayName', required: true, maxlength: 48, value: options.displayName, autocomplete: 'nickname' });
  const token = h('textarea', { id: 'token', name: 'token', rows: 3, placeholder: 'eyJhbGciOi…', spellcheck: 'false' });
  const tokenRow = h('div', { class: 'field token-field', hidden: !options.askForToken }, h('label', { for: 'token' }, 'Access token'), token);
  const showToken = h('button', { type: 'button', class: 'link', hidden: options.askForToken, onclick: () => {
    tokenRow.hidden = false;
    showToken.hidden = true;
    token.focus();
  } }, 'I have a token');
  const camera = h('input', { id: 'camera', type: 'checkbox', checked: options.camera });
  const relayOnly = h('input', { id: 'relay-only', type: 'checkbox', checked: options.relayOnly });
  const error = options.error
    ? h('div', { class: 'error', role: 'alert', 'data-error-code': options.error.code }, h('strong', {}, options.error.message.title), h('p', {}, options.error.message.detail))
    : null;
  const form = h(
    'form',
    {
      class: 'lobby card',
      onsubmit: (event: Event) => {
        event.preventDefault();
        options.onJoin({
          room: room.value.trim(),
          displayName: displayName.value.trim(),
          token: tokenRow.hidden ? undefined : token.value.trim() || undefined,
          camera: camera.checked,
          relayOnly: relayOnly.checked,
        });
      },
    },
    h('h1', {}, 'Parley'),
    h('p', { class: 'muted' }, 'Join a room to start a call. Share the room name with the others.'),
    error,
    h('div', { class: 'field' }, h('label', { for: 'room' }, 'Room'), room),
    h('div', { class: 'field' }, h('label', { for: 'display-name' }, 'Your name'), displayName),
    tokenRow,
    h('div', { class: 'checks' }, h('label', {}, camera, ' Camera and microphone'), h('label', { title: 'Send all media through the TURN relay' }, relayOnly, ' Relay only')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'join', class: 'primary' }, 'Join'), showToken),
  );
  return form;
}
