import { h } from './dom.js';
import { formatBytes } from './quality-badge.js';

/**
 * Files: pick one and send it to one participant or to everyone; a progress bar per transfer;
 * received files offered for download only after their SHA-256 checked out.
 */
export interface FileTarget {
  peerId: string;
  name: string;
}

export class FilePanel {
  readonly element: HTMLElement;
  #picker = h('input', { type: 'file', id: 'file-input' });
  #target = h('select', { id: 'file-target' }, h('option', { value: '*' }, 'Everyone'));
  #transfers = h('ul', { class: 'transfers', id: 'transfers' });
  #bars = new Map<string, { bar: HTMLProgressElement; label: HTMLElement; row: HTMLElement }>();

  constructor(private readonly send: (file: File, peerId: string) => void) {
    const form = h(
      'form',
      {
        class: 'file-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const file = this.#picker.files?.[0];
          if (!file) return;
          this.send(file, this.#target.value);
          this.#picker.value = '';
        },
      },
      this.#picker,
      h('label', {}, 'to ', this.#target),
      h('button', { type: 'submit', id: 'file-send' }, 'Send file'),
    );
    this.element = h('section', { class: 'panel files' }, h('h2', {}, 'Files'), form, this.#transfers);
  }

  setTargets(targets: FileTarget[]): void {
    const selected = this.#target.value;
    this.#target.replaceChildren(h('option', { value: '*' }, 'Everyone'), ...targets.map((target) => h('option', { value: target.peerId }, target.name)));
    this.#target.value = targets.some((target) => target.peerId === selected) ? selected : '*';
  }

  progress(key: string, direction: 'in' | 'out', name: string, who: string, bytes: number, totalBytes: number): void {
    let entry = this.#bars.get(key);
    if (!entry) {
      const bar = h('progress', { max: Math.max(1, totalBytes), value: 0, 'data-transfer': key, 'data-direction': direction });
      const label = h('span', { class: 'transfer-label' });
      const row = h('li', { class: `transfer ${direction}` }, h('span', { class: 'file-name' }, `${direction === 'out' ? '↑' : '↓'} ${name} ${direction === 'out' ? 'to' : 'from'} ${who}`), bar, label);
      entry = { bar, label, row };
      this.#bars.set(key, entry);
      this.#transfers.prepend(row);
    }
    entry.bar.max = Math.max(1, totalBytes);
    entry.bar.value = bytes;
    entry.label.textContent = `${formatBytes(bytes)} / ${formatBytes(totalBytes)}`;
  }

  done(key: string, outcome: { ok: true; sha256: string; download?: { blob: Blob; name: string } } | { ok: false; code: string; text: string }): void {
    const entry = this.#bars.get(key);
    if (!entry) return;
    entry.row.dataset.outcome = outcome.ok ? 'verified' : 'failed';
    if (outcome.ok) {
      entry.bar.value = entry.bar.max;
      entry.label.replaceChildren(h('span', { class: 'ok', title: `SHA-256 ${outcome.sha256}` }, '✓ verified'));
      if (outcome.download) {
        const url = URL.createObjectURL(outcome.download.blob);
        entry.label.append(' ', h('a', { href: url, download: outcome.download.name, 'data-sha256': outcome.sha256 }, 'Save'));
      }
    } else {
      entry.label.replaceChildren(h('span', { class: 'failed', 'data-error-code': outcome.code }, `✗ ${outcome.text}`));
    }
  }
}
