import type { ClientMessage, PeerId, PeerLeftReason, PeerMeta, RoomClosedReason, RoomName, ServerMessage, ServerMessageOf } from '@parley/protocol';
import type { FileSendOptions, FileSendResult } from '../data/file-transfer.js';
import { Emitter } from '../emitter.js';
import { ParleyError } from '../errors.js';
import type { LocalTrack } from '../mesh/peer-link.js';
import { PeerMesh, type MeshEvents, type PeerMeshOptions } from '../mesh/peer-mesh.js';
import type { SignalingClient } from '../signaling/client.js';
import { DEFAULT_STATS_INTERVAL_MS, StatsReporter, type PeerQuality } from '../stats/stats-reporter.js';

/**
 * A joined room: its peers with their metadata, its shared state, broadcast, and (unless turned
 * off) the peer mesh with chat, files, media and the stats reporter. Survives signaling blips: on
 * a resumed session nothing changes; when the session had to restart, the room joins again and
 * rebuilds its connections.
 */
export interface RoomPeer {
  peerId: string;
  userId: string;
  meta: PeerMeta;
  joinedAtMs: number;
  /** Our role towards this peer in perfect negotiation (decided by the server). */
  polite: boolean;
}

export interface JoinOptions {
  /** Shown to the other peers (display name, avatar...). */
  meta?: PeerMeta;
  /** Set up WebRTC connections to the other peers (default true). */
  mesh?: boolean;
  /** Relay-only ICE: every connection goes through TURN. */
  forceRelay?: boolean;
  /** How often getStats() is summarised and sent to the server; 0 turns the reporter off. */
  statsIntervalMs?: number;
  /** Tracks to send from the start (for example a camera stream). */
  localStream?: MediaStream;
  rtcConfiguration?: PeerMeshOptions['rtcConfiguration'];
  iceDisconnectedGraceMs?: number;
  maxIceRestarts?: number;
  maxFileBytes?: number;
}

/** Names of the events a room emits (mesh events included). */
export const RoomEvent = {
  PeerJoined: 'peer.joined',
  PeerLeft: 'peer.left',
  State: 'state',
  Broadcast: 'broadcast',
  /** The room was closed by the server or left by us; the Room object is finished. */
  Closed: 'closed',
  /** Joined again with a fresh session after a resume failed. */
  Rejoined: 'rejoined',
  ConnectionState: 'connection.state',
  Chat: 'chat',
  Track: 'track',
  TrackRemoved: 'track.removed',
  FileOffered: 'file.offered',
  FileProgress: 'file.progress',
  FileReceived: 'file.received',
  FileFailed: 'file.failed',
  Negotiation: 'negotiation',
  IceRestart: 'ice.restart',
  IceCandidateError: 'ice.candidate-error',
  DataChannel: 'datachannel',
  Quality: 'quality',
  Error: 'error',
} as const;

export interface RoomEvents extends MeshEvents {
  [RoomEvent.PeerJoined]: RoomPeer;
  [RoomEvent.PeerLeft]: { peer: RoomPeer; reason: PeerLeftReason };
  [RoomEvent.State]: { key: string; value: unknown; from: string | null };
  [RoomEvent.Broadcast]: { from: string; data: unknown };
  [RoomEvent.Closed]: { reason: RoomClosedReason | 'left' | 'client_closed' };
  [RoomEvent.Rejoined]: { self: RoomPeer };
  [RoomEvent.Quality]: PeerQuality;
}

type RoomJoined = ServerMessageOf<'room.joined'>;

const MESH_EVENTS = [
  'connection.state',
  'chat',
  'track',
  'track.removed',
  'file.offered',
  'file.progress',
  'file.received',
  'file.failed',
  'negotiation',
  'ice.restart',
  'ice.candidate-error',
  'datachannel',
  'error',
] as const satisfies ReadonlyArray<keyof MeshEvents>;

export class Room extends Emitter<RoomEvents> {
  readonly name: string;
  #client: SignalingClient;
  #options: JoinOptions;
  #self: RoomPeer;
  #peers = new Map<string, RoomPeer>();
  #state: Record<string, unknown>;
  #metadata: Record<string, unknown>;
  #quality = new Map<string, PeerQuality>();
  #mesh: PeerMesh | null = null;
  #stats: StatsReporter | null = null;
  #unsubscribe: Array<() => void> = [];
  #closed = false;

  /** @internal Created by `ParleyClient.join()`. */
  constructor(client: SignalingClient, joined: RoomJoined, options: JoinOptions) {
    super();
    this.name = joined.room;
    this.#client = client;
    this.#options = options;
    this.#self = toPeer(joined.self, false);
    this.#state = { ...joined.state };
    this.#metadata = { ...joined.metadata };
    this.#unsubscribe.push(
      client.attachRoom(this.name, this),
      client.on('turn.refresh', ({ iceServers }) => this.#mesh?.setIceServers(iceServers)),
      client.on('network.changed', ({ online }) => {
        if (online) this.#mesh?.restartIce();
      }),
      client.on('session.restarted', () => void this.#rejoin()),
      client.on('disconnected', () => this.#finish('client_closed')),
    );
    const stream = options.localStream;
    this.#startMesh(stream ? stream.getTracks().map((track) => ({ track, stream })) : []);
    for (const peer of joined.peers) this.#addPeer(toPeer(peer, peer.polite), false);
  }

  get self(): RoomPeer {
    return this.#self;
  }

  get peers(): ReadonlyMap<string, RoomPeer> {
    return this.#peers;
  }

  get state(): Readonly<Record<string, unknown>> {
    return this.#state;
  }

  get metadata(): Readonly<Record<string, unknown>> {
    return this.#metadata;
  }

  /** The latest quality summary of each connection (updated every stats interval). */
  get quality(): ReadonlyMap<string, PeerQuality> {
    return this.#quality;
  }

  /** The peer mesh, or null when joined with `mesh: false`. */
  get mesh(): PeerMesh | null {
    return this.#mesh;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends `data` to every other peer of the room through the server. */
  async broadcast(data: unknown): Promise<void> {
    await this.#request({ type: 'room.broadcast', room: this.#roomName(), data });
  }

  /** Sets one key of the shared room state (`null` deletes it); everyone gets a `state` event. */
  async setState(key: string, value: unknown): Promise<void> {
    await this.#request({ type: 'room.state.set', room: this.#roomName(), key, value });
  }

  /** Sends a chat message peer to peer to everyone connected; returns who it reached. */
  sendChat(text: string): { id: string; sentTo: string[] } {
    return this.#requireMesh().sendChat(text);
  }

  /** Sends a file to one peer; resolves once the receiver has verified its SHA-256. */
  sendFile(peerId: string, file: Blob, options?: FileSendOptions & { name?: string }): Promise<FileSendResult> {
    return this.#requireMesh().sendFile(peerId, file, options);
  }

  /** Sends every track of `stream` to all peers (and to peers who join later). */
  publish(stream: MediaStream): void {
    const mesh = this.#requireMesh();
    for (const track of stream.getTracks()) mesh.addTrack(track, stream);
  }

  /** Stops sending one track (or every track of a stream); renegotiates with each peer. */
  unpublish(trackOrStream: MediaStreamTrack | MediaStream): void {
    const mesh = this.#requireMesh();
    const tracks = 'getTracks' in trackOrStream ? trackOrStream.getTracks() : [trackOrStream];
    for (const track of tracks) mesh.removeTrack(track);
  }

  /** Restarts ICE with one peer or all of them. */
  restartIce(peerId?: string): void {
    this.#requireMesh().restartIce(peerId);
  }

  /** Samples getStats() now (also sent to the server) instead of waiting for the next interval. */
  sampleStats(): Promise<PeerQuality[]> {
    return this.#stats?.sampleNow() ?? Promise.resolve([]);
  }

  async leave(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#request({ type: 'room.leave', room: this.#roomName() });
    } finally {
      this.#finish('left');
    }
  }

  /** @internal Called by the client for every message addressed to this room. */
  handleServerMessage(message: ServerMessage): void {
    if (this.#closed) return;
    switch (message.type) {
      case 'peer.joined':
        this.#addPeer(toPeer(message.peer, message.peer.polite), true);
        return;
      case 'peer.left': {
        const peer = this.#peers.get(message.peerId);
        if (!peer) return;
        this.#peers.delete(message.peerId);
        this.#quality.delete(message.peerId);
        this.#mesh?.removePeer(message.peerId);
        this.emit(RoomEvent.PeerLeft, { peer, reason: message.reason });
        return;
      }
      case 'signal':
        this.#mesh?.handleSignal(message.from, message.payload);
        return;
      case 'room.broadcast':
        this.emit(RoomEvent.Broadcast, { from: message.from, data: message.data });
        return;
      case 'room.state':
        if (message.value === null) delete this.#state[message.key];
        else this.#state[message.key] = message.value;
        this.emit(RoomEvent.State, { key: message.key, value: message.value, from: message.from });
        return;
      case 'room.closed':
        this.#finish(message.reason);
        return;
      default:
        return;
    }
  }

  // ---- internals

  #startMesh(published: LocalTrack[]): void {
    if (this.#options.mesh === false) return;
    const mesh = new PeerMesh({
      iceServers: this.#client.iceServers,
      forceRelay: this.#options.forceRelay,
      rtcConfiguration: this.#options.rtcConfiguration,
      iceDisconnectedGraceMs: this.#options.iceDisconnectedGraceMs,
      maxIceRestarts: this.#options.maxIceRestarts,
      maxFileBytes: this.#options.maxFileBytes,
      sendSignal: (to, payload) => {
        if (!this.#closed) this.#client.send({ type: 'signal', room: this.#roomName(), to: to as PeerId, payload });
      },
    });
    for (const event of MESH_EVENTS) mesh.on(event, (payload) => this.emit(event, payload as never));
    for (const { track, stream } of published) mesh.addTrack(track, stream);
    this.#mesh = mesh;
    const intervalMs = this.#options.statsIntervalMs ?? DEFAULT_STATS_INTERVAL_MS;
    if (intervalMs > 0) {
      this.#stats = new StatsReporter({
        intervalMs,
        collect: () => mesh.peerIds.map((peerId) => ({ peerId, stats: mesh.getStats(peerId) })),
        publish: (connections) => {
          if (!this.#closed && this.#client.state === 'connected') this.#client.send({ type: 'stats', room: this.#roomName(), report: { connections } });
        },
        onQuality: (quality) => {
          this.#quality.set(quality.peerId, quality);
          this.emit(RoomEvent.Quality, quality);
        },
      });
      this.#stats.start();
    }
  }

  #addPeer(peer: RoomPeer, announce: boolean): void {
    this.#peers.set(peer.peerId, peer);
    this.#mesh?.addPeer({ peerId: peer.peerId, polite: peer.polite });
    if (announce) this.emit(RoomEvent.PeerJoined, peer);
  }

  /** After a session restart: join again under the new peer id and rebuild every connection. */
  async #rejoin(): Promise<void> {
    if (this.#closed) return;
    const published = this.#mesh?.published ?? [];
    this.#stats?.stop();
    this.#stats = null;
    this.#mesh?.close();
    this.#mesh = null;
    let joined: RoomJoined;
    try {
      joined = await this.#client.request<RoomJoined>({ type: 'room.join', room: this.#roomName(), ...(this.#options.meta ? { meta: this.#options.meta } : {}) });
    } catch (error) {
      this.emit(RoomEvent.Error, error instanceof ParleyError ? error : new ParleyError('SESSION_LOST', undefined, { cause: error }));
      this.#finish('client_closed');
      return;
    }
    this.#self = toPeer(joined.self, false);
    this.#state = { ...joined.state };
    const before = new Map(this.#peers);
    this.#peers.clear();
    this.#quality.clear();
    this.#startMesh(published);
    for (const remote of joined.peers) this.#addPeer(toPeer(remote, remote.polite), !before.has(remote.peerId));
    for (const [peerId, peer] of before) {
      if (!this.#peers.has(peerId)) this.emit(RoomEvent.PeerLeft, { peer, reason: 'disconnected' });
    }
    this.emit(RoomEvent.Rejoined, { self: this.#self });
  }

  #finish(reason: RoomEvents['closed']['reason']): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stats?.stop();
    this.#mesh?.close();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.emit(RoomEvent.Closed, { reason });
    this.removeAllListeners();
  }

  #requireMesh(): PeerMesh {
    if (!this.#mesh) throw new ParleyError('PEER_UNAVAILABLE', this.#closed ? 'the room is closed' : 'joined without a mesh');
    return this.#mesh;
  }

  #request(message: ClientMessage): Promise<ServerMessage> {
    if (this.#closed) return Promise.reject(new ParleyError('NOT_IN_ROOM', `not in room ${this.name}`));
    return this.#client.request(message);
  }

  #roomName(): RoomName {
    return this.name as RoomName;
  }
}

function toPeer(descriptor: { peerId: string; userId: string; meta?: PeerMeta | undefined; joinedAtMs: number }, polite: boolean): RoomPeer {
  return { peerId: descriptor.peerId, userId: descriptor.userId, meta: descriptor.meta ?? {}, joinedAtMs: descriptor.joinedAtMs, polite };
}
