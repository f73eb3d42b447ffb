import type { PeerQuality } from '@parley/sdk';
import { clear, h } from './dom.js';
import { badgeFor } from './quality-badge.js';

/**
 * The video grid: one tile per participant (ourselves first, muted), each with a name and, for
 * remote peers, a quality badge. Remote tracks of one peer are gathered into one MediaStream.
 */
interface Tile {
  element: HTMLElement;
  video: HTMLVideoElement;
  badge: HTMLElement;
  stream: MediaStream;
}

export class Tiles {
  readonly element = h('div', { class: 'tiles', id: 'tiles' });
  #tiles = new Map<string, Tile>();

  setSelf(name: string, stream: MediaStream | null): void {
    const tile = this.#ensure('self', `${name} (you)`, true);
    tile.element.classList.toggle('no-video', !stream?.getVideoTracks().length);
    tile.video.srcObject = stream;
  }

  addPeer(peerId: string, name: string): void {
    this.#ensure(peerId, name, false);
  }

  removePeer(peerId: string): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.element.remove();
    this.#tiles.delete(peerId);
    this.#layout();
  }

  addTrack(peerId: string, track: MediaStreamTrack): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    if (!tile.stream.getTracks().includes(track)) tile.stream.addTrack(track);
    tile.element.classList.toggle('no-video', tile.stream.getVideoTracks().length === 0);
    if (tile.video.srcObject !== tile.stream) tile.video.srcObject = tile.stream;
    void tile.video.play().catch(() => undefined);
  }

  removeTrack(peerId: string, track: MediaStreamTrack): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    tile.stream.removeTrack(track);
    tile.element.classList.toggle('no-video', tile.stream.getVideoTracks().length === 0);
  }

  setQuality(peerId: string, quality: PeerQuality | undefined): void {
    const tile = this.#tiles.get(peerId);
    if (!tile) return;
    const view = badgeFor(quality);
    tile.badge.textContent = view.text;
    tile.badge.title = view.title;
    tile.badge.dataset.grade = view.grade;
    tile.badge.dataset.path = view.path;
  }

  setConnectionState(peerId: string, state: RTCPeerConnectionState): void {
    const tile = this.#tiles.get(peerId);
    if (tile) tile.element.dataset.connectionState = state;
  }

  clear(): void {
    for (const peerId of [...this.#tiles.keys()]) this.removePeer(peerId);
    clear(this.element);
  }

  #ensure(peerId: string, name: string, self: boolean): Tile {
    const existing = this.#tiles.get(peerId);
    if (existing) return existing;
    const video = h('video', { autoplay: true, playsinline: true, muted: self });
    video.muted = self;
    const badge = h('span', { class: 'badge', 'data-grade': 'unknown', 'data-path': 'unknown' }, self ? 'you' : 'connecting…');
    const avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(name));
    const element = h('figure', { class: `tile no-video${self ? ' self' : ''}`, 'data-peer-id': peerId }, avatar, video, h('figcaption', {}, h('span', { class: 'name' }, name), badge));
    const tile: Tile = { element, video, badge, stream: new MediaStream() };
    this.#tiles.set(peerId, tile);
    if (self) this.element.prepend(element);
    else this.element.append(element);
    this.#layout();
    return tile;
  }

  /** Columns for n tiles: 1, 2, 2, 2, 3, 3... so tiles stay large. */
  #layout(): void {
    const count = this.#tiles.size;
    this.element.style.setProperty('--columns', String(Math.max(1, Math.ceil(Math.sqrt(count)))));
  }
}

/** "Ada Lovelace" → "AL": shown in a tile while there is no video. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!].map((word) => [...word][0]) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
