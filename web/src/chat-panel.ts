import { MAX_CHAT_CHARS } from '@parley/sdk';
import { h } from './dom.js';

/** Chat: messages from everyone (text only, rendered as text) and a box to write to all. */
export class ChatPanel {
  readonly element: HTMLElement;
  #list = h('ol', { class: 'chat-list', id: 'chat-list', 'aria-live': 'polite' });
  #input = h('input', { id: 'chat-input', maxlength: MAX_CHAT_CHARS, placeholder: 'Message everyone', autocomplete: 'off' });

  constructor(private readonly send: (text: string) => void) {
    const form = h(
      'form',
      {
        class: 'chat-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const text = this.#input.value.trim();
          if (!text) return;
          this.send(text);
          this.#input.value = '';
        },
      },
      this.#input,
      h('button', { type: 'submit', id: 'chat-send' }, 'Send'),
    );
    this.element = h('section', { class: 'panel chat' }, h('h2', {}, 'Chat'), this.#list, form);
  }

  add(message: { from: string; text: string; sentAtMs: number; mine: boolean }): void {
    const time = new Date(message.sentAtMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    this.#list.append(
      h('li', { class: message.mine ? 'mine' : '', 'data-chat-from': message.from }, h('span', { class: 'who' }, message.from), h('time', {}, time), h('p', {}, message.text)),
    );
    this.#list.scrollTop = this.#list.scrollHeight;
  }

  note(text: string): void {
    this.#list.append(h('li', { class: 'note' }, text));
    this.#list.scrollTop = this.#list.scrollHeight;
  }
}
