import type { IceServer } from '@parley/protocol';
import type { ChatFrame } from '../data/chat.js';
import { MAX_CHAT_CHARS } from '../data/chat.js';
import { DEFAULT_FILE_OPTIONS, receiveFileFromChannel, sendFileOverChannel, type FileProgress, type FileSendOptions, type FileSendResult, type ReceivedFile } from '../data/file-transfer.js';
import { Emitter } from '../emitter.js';
import { ParleyError } from '../errors.js';
import { randomId } from '../random-id.js';
import { PeerLink, type LocalTrack, type NegotiationInfo } from './peer-link.js';
import type { SignalPayload } from './signal-payload.js';

/**
 * A full mesh: one PeerLink per remote peer of a room, the local tracks sent to all of them, and
 * the room's data features (chat to everyone, files to one) on top. Knows nothing about sockets:
 * signals go out through `sendSignal` and come in through `handleSignal`.
 */
export interface PeerMeshOptions {
  iceServers: IceServer[];
  /** Only relay candidates (TURN): hides IP addresses from peers, and proves the relay in tests. */
  forceRelay?: boolean;
  /** Extra RTCPeerConnection settings (bundlePolicy, iceCandidatePoolSize...). */
  rtcConfiguration?: Omit<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'>;
  sendSignal(to: string, payload: SignalPayload): void;
  iceDisconnectedGraceMs?: number;
  maxIceRestarts?: number;
  /** Largest incoming file accepted. */
  maxFileBytes?: number;
}

export const DEFAULT_MESH_OPTIONS = {
  iceDisconnectedGraceMs: 3_000,
  maxIceRestarts: 3,
} as const;

export interface MeshPeer {
  peerId: string;
  polite: boolean;
}

export interface ChatMessage {
  from: string;
  id: string;
  text: string;
  sentAtMs: number;
}

export type FileDirection = 'in' | 'out';

export interface MeshEvents {
  'connection.state': { peerId: string; state: RTCPeerConnectionState };
  chat: ChatMessage;
  track: { peerId: string; track: MediaStreamTrack; streams: readonly MediaStream[] };
  'track.removed': { peerId: string; track: MediaStreamTrack; stream: MediaStream };
  'file.offered': { peerId: string; transferId: string; name: string; mime: string; sizeBytes: number };
  'file.progress': FileProgress & { peerId: string; direction: FileDirection };
  'file.received': ReceivedFile & { peerId: string };
  'file.failed': { peerId: string; transferId: string; direction: FileDirection; error: ParleyError };
  negotiation: NegotiationInfo & { peerId: string };
  'ice.restart': { peerId: string; reason: 'failed' | 'disconnected' | 'requested' };
  'ice.candidate-error': { peerId: string; url: string; errorCode: number; errorText: string };
  datachannel: { peerId: string; channel: RTCDataChannel };
  error: ParleyError & { peerId?: string };
}

export class PeerMesh extends Emitter<MeshEvents> {
  #options: PeerMeshOptions;
  #iceServers: IceServer[];
  #links = new Map<string, PeerLink>();
  #localTracks = new Map<MediaStreamTrack, LocalTrack>();
  #closed = false;

  constructor(options: PeerMeshOptions) {
    super();
    this.#options = options;
    this.#iceServers = options.iceServers;
  }

  get peerIds(): string[] {
    return [...this.#links.keys()];
  }

  /** The RTCPeerConnection to one peer, for apps that need the raw object. */
  connection(peerId: string): RTCPeerConnection | undefined {
    return this.#links.get(peerId)?.pc;
  }

  connectionState(peerId: string): RTCPeerConnectionState | undefined {
    return this.#links.get(peerId)?.connectionState;
  }

  /** The tracks sent to every peer, with the stream each belongs to. */
  get published(): LocalTrack[] {
    return [...this.#localTracks.values()];
  }

  addPeer(peer: MeshPeer): void {
    if (this.#closed || this.#links.has(peer.peerId)) return;
    const link = new PeerLink({
      remotePeerId: peer.peerId,
      polite: peer.polite,
      configuration: this.#configuration(),
      sendSignal: (payload) => this.#options.sendSignal(peer.peerId, payload),
      localTracks: this.#localTracks.values(),
      iceDisconnectedGraceMs: this.#options.iceDisconnectedGraceMs ?? DEFAULT_MESH_OPTIONS.iceDisconnectedGraceMs,
      maxIceRestarts: this.#options.maxIceRestarts ?? DEFAULT_MESH_OPTIONS.maxIceRestarts,
    });
    this.#links.set(peer.peerId, link);
    this.#wire(peer.peerId, link);
  }

  removePeer(peerId: string): void {
    const link = this.#links.get(peerId);
    if (!link) return;
    this.#links.delete(peerId);
    link.close();
    this.emit('connection.state', { peerId, state: 'closed' });
  }

  handleSignal(from: string, payload: unknown): void {
    this.#links.get(from)?.handleSignal(payload);
  }

  /** Sends a track to every peer, now and to those who join later. */
  addTrack(track: MediaStreamTrack, stream: MediaStream): void {
    if (this.#localTracks.has(track)) return;
    this.#localTracks.set(track, { track, stream });
    for (const link of this.#links.values()) link.addTrack(track, stream);
  }

  removeTrack(track: MediaStreamTrack): void {
    if (!this.#localTracks.delete(track)) return;
    for (const link of this.#links.values()) link.removeTrack(track);
  }

  /** Restarts ICE with one peer, or with all of them (after a network change). */
  restartIce(peerId?: string): void {
    for (const [id, link] of this.#links) if (peerId === undefined || id === peerId) link.restartIce('requested');
  }

  /** New TURN credentials: used by every connection's next gathering and by new connections. */
  setIceServers(iceServers: IceServer[]): void {
    this.#iceServers = iceServers;
    for (const link of this.#links.values()) link.setIceServers(iceServers);
  }

  /** The configuration each connection currently runs with (after TURN refreshes). */
  configuration(peerId: string): RTCConfiguration | undefined {
    return this.#links.get(peerId)?.pc.getConfiguration();
  }

  /** Sends a chat message to every peer with an open chat channel; returns the peers reached. */
  sendChat(text: string): { id: string; sentTo: string[] } {
    if (text.length === 0 || text.length > MAX_CHAT_CHARS) throw new ParleyError('INVALID_MESSAGE', `chat text must be 1-${MAX_CHAT_CHARS} characters`);
    const frame: ChatFrame = { t: 'chat', id: randomId(), text, sentAtMs: Date.now() };
    const sentTo: string[] = [];
    for (const [peerId, link] of this.#links) if (link.sendChat(frame)) sentTo.push(peerId);
    return { id: frame.id, sentTo };
  }

  /** Sends a file to one peer over its own channel; resolves once the receiver verified it. */
  async sendFile(peerId: string, file: Blob, options: FileSendOptions & { name?: string } = {}): Promise<FileSendResult> {
    const link = this.#links.get(peerId);
    if (!link || link.connectionState !== 'connected') throw new ParleyError('PEER_UNAVAILABLE', `no open connection to ${peerId}`);
    const transferId = randomId();
    const name = options.name ?? ((file as File).name || 'file');
    const maxMessageBytes = link.pc.sctp?.maxMessageSize ?? 0;
    const chunkBytes = Math.min(options.chunkBytes ?? DEFAULT_FILE_OPTIONS.chunkBytes, maxMessageBytes > 0 ? maxMessageBytes : Infinity);
    try {
      return await sendFileOverChannel(link.openFileChannel(transferId), transferId, file, name, {
        ...options,
        chunkBytes,
        onProgress: (progress) => {
          options.onProgress?.(progress);
          this.emit('file.progress', { ...progress, peerId, direction: 'out' });
        },
      });
    } catch (caught) {
      const error = caught instanceof ParleyError ? caught : new ParleyError('PEER_UNAVAILABLE', undefined, { cause: caught });
      this.emit('file.failed', { peerId, transferId, direction: 'out', error });
      throw error;
    }
  }

  getStats(peerId: string): Promise<RTCStatsReport> | undefined {
    return this.#links.get(peerId)?.getStats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peerId of [...this.#links.keys()]) this.removePeer(peerId);
    this.removeAllListeners();
  }

  #configuration(): RTCConfiguration {
    return {
      bundlePolicy: 'max-bundle',
      ...this.#options.rtcConfiguration,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#options.forceRelay ? 'relay' : 'all',
    };
  }

  #wire(peerId: string, link: PeerLink): void {
    link.on('state', (state) => this.emit('connection.state', { peerId, state }));
    link.on('chat', (frame) => this.emit('chat', { from: peerId, id: frame.id, text: frame.text, sentAtMs: frame.sentAtMs }));
    link.on('track', ({ track, streams }) => this.emit('track', { peerId, track, streams }));
    link.on('track.removed', ({ track, stream }) => this.emit('track.removed', { peerId, track, stream }));
    link.on('negotiation', (info) => this.emit('negotiation', { ...info, peerId }));
    link.on('ice.restart', ({ reason }) => this.emit('ice.restart', { peerId, reason }));
    link.on('ice.candidate-error', (error) => this.emit('ice.candidate-error', { peerId, ...error }));
    link.on('datachannel', (channel) => this.emit('datachannel', { peerId, channel }));
    link.on('error', (error) => this.emit('error', Object.assign(error, { peerId })));
    link.on('file.channel', (channel) => this.#receiveFile(peerId, channel));
  }

  #receiveFile(peerId: string, channel: RTCDataChannel): void {
    let transferId = channel.label.slice(channel.label.indexOf('/') + 1);
    receiveFileFromChannel(channel, {
      maxFileBytes: this.#options.maxFileBytes ?? DEFAULT_FILE_OPTIONS.maxFileBytes,
      onOffer: (offer) => {
        transferId = offer.transferId;
        this.emit('file.offered', { peerId, ...offer });
      },
      onProgress: (progress) => this.emit('file.progress', { ...progress, peerId, direction: 'in' }),
    }).then(
      (file) => this.emit('file.received', { ...file, peerId }),
      (error: ParleyError) => this.emit('file.failed', { peerId, transferId, direction: 'in', error }),
    );
  }
}
