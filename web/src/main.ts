/**
 * Parley's reference web client. Rule of this folder: it uses the SDK's public API only
 * (`@parley/sdk`), so it doubles as an example of building a call app on it.
 *
 * Flow: lobby → call → back to the lobby with a message when the call ends.
 *   ?room=name       prefills the room
 *   ?name=Ada        prefills the display name
 *   ?token=JWT       joins with this token (taken out of the address bar once read)
 *   ?relay=1         relay-only ICE (all media through TURN)
 *   ?autojoin=1      joins at once with the prefilled values (links from `parley up`)
 */
import { runCall } from './call.js';
import { messageFor, type UserMessage } from './messages.js';
import { renderLobby, type LobbyChoice } from './lobby.js';
import { devUserId, obtainToken, takeTokenFromUrl } from './token.js';

const root = document.getElementById('app')!;
const params = new URL(location.href).searchParams;
let linkToken = takeTokenFromUrl(location, history);
let lastChoice: LobbyChoice = {
  room: params.get('room') ?? 'demo',
  displayName: params.get('name') ?? localStorage.getItem('parley.displayName') ?? '',
  token: undefined,
  camera: params.get('camera') !== '0',
  relayOnly: params.get('relay') === '1',
};

function showLobby(error?: { code: string; message: UserMessage }, askForToken = false): void {
  document.title = 'Parley';
  root.replaceChildren(
    renderLobby({
      room: lastChoice.room,
      displayName: lastChoice.displayName,
      relayOnly: lastChoice.relayOnly,
      camera: lastChoice.camera,
      askForToken,
      error,
      onJoin: (choice) => void join(choice),
    }),
  );
}

async function join(choice: LobbyChoice): Promise<void> {
  lastChoice = choice;
  localStorage.setItem('parley.displayName', choice.displayName);
  root.querySelector<HTMLButtonElement>('#join')?.setAttribute('disabled', '');
  let token = choice.token ?? linkToken;
  // A token from the link is used once; after that the lobby asks again or mints a dev token.
  linkToken = undefined;
  if (!token) {
    try {
      const outcome = await obtainToken({ serverUrl: location.origin, room: choice.room, userId: devUserId(choice.displayName) });
      if (outcome.kind === 'needs-token') {
        showLobby({ code: 'TOKEN_MISSING', message: messageFor('TOKEN_MISSING') }, true);
        return;
      }
      token = outcome.token;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'CONNECTION_FAILED';
      showLobby({ code, message: messageFor(code) });
      return;
    }
  }
  document.title = `${choice.room} · Parley`;
  const end = await runCall(root, { serverUrl: location.origin, token, room: choice.room, displayName: choice.displayName, camera: choice.camera, relayOnly: choice.relayOnly });
  showLobby(end.kind === 'error' ? { code: end.code, message: end.message } : undefined, Boolean(choice.token));
}

if (params.get('autojoin') === '1' && lastChoice.displayName) void join(lastChoice);
else showLobby();
