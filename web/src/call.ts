import { connect, getLocalMedia, ParleyError, type ParleyClient, type Room, type RoomPeer } from '@parley/sdk';
import { ChatPanel } from './chat-panel.js';
import { h } from './dom.js';
import { FilePanel } from './file-panel.js';
import { messageFor, roomClosedMessage, type UserMessage } from './messages.js';
import { Tiles } from './tiles.js';

/**
 * The call view: connects, joins, and wires the SDK's events to the tiles, chat and file panels.
 * Ends (back to the lobby) when the room closes, the connection is lost for good, or the user
 * leaves; non-fatal problems (TURN unreachable, camera blocked, a failed transfer) show a banner.
 */
export interface CallOptions {
  serverUrl: string;
  token: string;
  room: string;
  displayName: string;
  camera: boolean;
  relayOnly: boolean;
}

export type CallEnd = { kind: 'left' } | { kind: 'error'; code: string; message: UserMessage };

export async function runCall(root: HTMLElement, options: CallOptions): Promise<CallEnd> {
  let client: ParleyClient;
  try {
    client = await connect(options.serverUrl, options.token);
  } catch (error) {
    return failure(error);
  }

  const banners = h('div', { class: 'banners', id: 'banners' });
  const showBanner = (code: string, message: UserMessage) => {
    if (banners.querySelector(`[data-error-code="${code}"]`)) return;
    banners.append(h('div', { class: 'banner', role: 'status', 'data-error-code': code }, h('strong', {}, message.title), ' ', message.detail));
  };

  let localStream: MediaStream | null = null;
  if (options.camera) {
    try {
      localStream = await getLocalMedia({ audio: true, video: { width: 640, height: 360 } });
    } catch (error) {
      const code = error instanceof ParleyError ? error.code : 'MEDIA_UNAVAILABLE';
      showBanner(code, messageFor(code));
    }
  }

  let room: Room;
  try {
    room = await client.join(options.room, { meta: { name: options.displayName }, forceRelay: options.relayOnly, ...(localStream ? { localStream } : {}) });
  } catch (error) {
    client.close();
    stopTracks(localStream);
    return failure(error);
  }

  return new Promise<CallEnd>((resolve) => {
    const tiles = new Tiles();
    const chat = new ChatPanel((text) => {
      const { sentTo } = room.sendChat(text);
      chat.add({ from: options.displayName, text, sentAtMs: Date.now(), mine: true });
      if (sentTo.length === 0) chat.note('Nobody is connected yet: the message was not delivered.');
    });
    const files = new FilePanel((file, target) => {
      const peerIds = target === '*' ? [...room.peers.keys()] : [target];
      for (const peerId of peerIds) {
        const key = `out:${peerId}:${file.name}:${Date.now()}`;
        const who = nameOf(room.peers.get(peerId));
        files.progress(key, 'out', file.name, who, 0, file.size);
        room
          .sendFile(peerId, file, { onProgress: (progress) => files.progress(key, 'out', file.name, who, progress.bytes, progress.totalBytes) })
          .then(
            (result) => files.done(key, { ok: true, sha256: result.sha256 }),
            (error: unknown) => {
              const code = error instanceof ParleyError ? error.code : 'PEER_UNAVAILABLE';
              files.done(key, { ok: false, code, text: messageFor(code).title });
            },
          );
      }
    });
    const connectionPill = h('span', { class: 'pill', id: 'connection-state', 'data-state': client.state }, client.state);
    const cameraButton = h('button', { type: 'button', id: 'toggle-camera', disabled: !localStream }, 'Camera off');
    const leaveButton = h('button', { type: 'button', id: 'leave', class: 'danger' }, 'Leave');
    const view = h(
      'main',
      { class: 'call', id: 'call', 'data-room': room.name, 'data-peer-id': room.self.peerId },
      h('header', {}, h('h1', {}, room.name), connectionPill, h('span', { class: 'spacer' }), cameraButton, leaveButton),
      banners,
      h('section', { class: 'stage' }, tiles.element),
      h('aside', {}, chat.element, files.element),
    );
    root.replaceChildren(view);

    tiles.setSelf(options.displayName, localStream);
    const refreshTargets = () => files.setTargets([...room.peers.values()].map((peer) => ({ peerId: peer.peerId, name: nameOf(peer) })));
    const addPeer = (peer: RoomPeer) => {
      tiles.addPeer(peer.peerId, nameOf(peer));
      refreshTargets();
    };
    for (const peer of room.peers.values()) addPeer(peer);

    room.on('peer.joined', (peer) => {
      addPeer(peer);
      chat.note(`${nameOf(peer)} joined`);
    });
    room.on('peer.left', ({ peer }) => {
      tiles.removePeer(peer.peerId);
      refreshTargets();
      chat.note(`${nameOf(peer)} left`);
    });
    room.on('rejoined', () => {
      tiles.clear();
      tiles.setSelf(options.displayName, localStream);
      for (const peer of room.peers.values()) addPeer(peer);
      view.dataset.peerId = room.self.peerId;
    });
    room.on('track', ({ peerId, track }) => tiles.addTrack(peerId, track));
    room.on('track.removed', ({ peerId, track }) => tiles.removeTrack(peerId, track));
    room.on('connection.state', ({ peerId, state }) => tiles.setConnectionState(peerId, state));
    room.on('quality', (quality) => tiles.setQuality(quality.peerId, quality));
    room.on('chat', (message) => chat.add({ from: nameOf(room.peers.get(message.from)), text: message.text, sentAtMs: message.sentAtMs, mine: false }));
    room.on('file.progress', (progress) => {
      if (progress.direction === 'in') files.progress(`in:${progress.peerId}:${progress.transferId}`, 'in', progress.name, nameOf(room.peers.get(progress.peerId)), progress.bytes, progress.totalBytes);
    });
    room.on('file.offered', (offer) => files.progress(`in:${offer.peerId}:${offer.transferId}`, 'in', offer.name, nameOf(room.peers.get(offer.peerId)), 0, offer.sizeBytes));
    room.on('file.received', (file) => files.done(`in:${file.peerId}:${file.transferId}`, { ok: true, sha256: file.sha256, download: { blob: file.data, name: file.name } }));
    room.on('file.failed', ({ peerId, transferId, direction, error }) => {
      if (direction === 'in') files.done(`in:${peerId}:${transferId}`, { ok: false, code: error.code, text: messageFor(error.code).title });
    });
    room.on('error', (error) => {
      if (error.code === 'ICE_FAILED') showBanner(error.code, messageFor(error.code));
    });

    client.on('state', (state) => {
      connectionPill.textContent = state;
      connectionPill.dataset.state = state;
    });

    const finish = (end: CallEnd) => {
      stopTracks(localStream);
      tiles.clear();
      client.close();
      resolve(end);
    };
    room.on('closed', ({ reason }) => {
      if (reason === 'left' || reason === 'client_closed') return;
      finish({ kind: 'error', code: 'ROOM_CLOSED', message: roomClosedMessage(reason) });
    });
    client.on('disconnected', ({ error }) => {
      if (error.code !== 'CLIENT_CLOSED') finish({ kind: 'error', code: error.code, message: messageFor(error.code) });
    });
    leaveButton.addEventListener('click', () => {
      void room.leave().catch(() => undefined).finally(() => finish({ kind: 'left' }));
    });
    cameraButton.addEventListener('click', () => {
      if (!localStream) return;
      const video = localStream.getVideoTracks()[0];
      if (!video) return;
      // Removing and re-adding the track renegotiates with every peer (perfect negotiation).
      if (room.mesh?.published.some((entry) => entry.track === video)) {
        room.unpublish(video);
        cameraButton.textContent = 'Camera on';
      } else {
        room.publish(localStream);
        cameraButton.textContent = 'Camera off';
      }
    });

    // Tell people up front when the relay is unreachable, rather than showing a call that never
    // connects. A server without any relay is only a problem for relay-only calls.
    void client.probeTurn().then((probe) => {
      if (probe.configured && !probe.ok) showBanner('TURN_UNREACHABLE', messageFor('TURN_UNREACHABLE'));
      if (!probe.configured && options.relayOnly) showBanner('TURN_NOT_CONFIGURED', messageFor('TURN_NOT_CONFIGURED'));
      view.dataset.turnProbe = !probe.configured ? 'none' : probe.ok ? 'ok' : 'failed';
    });
  });
}

function failure(error: unknown): CallEnd {
  const code = error instanceof ParleyError ? error.code : 'CONNECTION_FAILED';
  return { kind: 'error', code, message: messageFor(code) };
}

function nameOf(peer: RoomPeer | undefined): string {
  const name = peer?.meta.name;
  return typeof name === 'string' && name.length > 0 ? name.slice(0, 48) : (peer?.userId ?? 'someone');
}

function stopTracks(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
