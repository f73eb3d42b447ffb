/**
 * @parley/sdk — the browser SDK for Parley.
 *
 * Rule of this folder: browser code only (no node:*); it depends on @parley/protocol for types,
 * error codes and pure helpers, never on its zod schemas (the bundle stays small: see
 * docs/sdk.md for the size budget). Layout:
 *   signaling/  the WebSocket session: reconnect policy, resume, request/answer, routing
 *   room/       a joined room: peers, state, broadcast; owns the mesh and the stats reporter
 *   mesh/       RTCPeerConnections: perfect negotiation, ICE restart, TURN refresh, TURN probe
 *   data/       data-channel protocols: chat, file transfer with SHA-256 verification
 *   stats/      getStats() summaries and the reporter that sends them to the server
 *   media/      camera and microphone access with reason-coded errors
 * Everything an app needs is exported here; the reference client (web/) uses nothing else.
 */
export { connect, ParleyClient } from './client.js';
export { SignalingClient, ClientEvent, DEFAULT_CONNECT_OPTIONS } from './signaling/client.js';
export type { ClientEvents, ConnectOptions, ConnectionState, SessionMessage, TokenSource, WebSocketConstructor } from './signaling/client.js';
export { jitteredBackoff, DEFAULT_BACKOFF } from './signaling/backoff.js';
export type { BackoffOptions, ReconnectContext, ReconnectPolicy } from './signaling/backoff.js';
export { Room, RoomEvent } from './room/room.js';
export type { JoinOptions, RoomEvents, RoomPeer } from './room/room.js';
export { PeerMesh, DEFAULT_MESH_OPTIONS } from './mesh/peer-mesh.js';
export type { ChatMessage, FileDirection, MeshEvents, MeshPeer, PeerMeshOptions } from './mesh/peer-mesh.js';
export type { LocalTrack, NegotiationInfo } from './mesh/peer-link.js';
export type { SignalPayload } from './mesh/signal-payload.js';
export { probeTurn, DEFAULT_TURN_PROBE_TIMEOUT_MS } from './mesh/turn-probe.js';
export type { TurnProbeResult } from './mesh/turn-probe.js';
export { DEFAULT_FILE_OPTIONS } from './data/file-transfer.js';
export type { FileProgress, FileReceiveOptions, FileSendOptions, FileSendResult, ReceivedFile } from './data/file-transfer.js';
export { MAX_CHAT_CHARS } from './data/chat.js';
export { sha256Hex, Sha256 } from './data/sha256.js';
export { summariseStats } from './stats/summarise.js';
export type { ConnectionSummary, StatLike, StatsSample } from './stats/summarise.js';
export { DEFAULT_STATS_INTERVAL_MS } from './stats/stats-reporter.js';
export type { PeerQuality } from './stats/stats-reporter.js';
export { getLocalMedia } from './media/local-media.js';
export { ParleyError, CLIENT_ERRORS, describeError, isRetryable } from './errors.js';
export type { ClientErrorCode, ParleyErrorCode } from './errors.js';
export { Emitter } from './emitter.js';
export type { Listener } from './emitter.js';
export { gradeQuality, QUALITY_THRESHOLDS } from '@parley/protocol';
export type { ErrorCode, IceServer, PeerLeftReason, PeerMeta, QualityGrade, RoomClosedReason, ConnectionPath, CandidateType, RelayProtocol } from '@parley/protocol';
