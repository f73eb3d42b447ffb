import type { ClientMessageType } from '@parley/protocol';
import { handleDirect } from './direct.js';
import type { Handler } from './handler.js';
import { handlePing } from './ping.js';
import { handleRoomBroadcast } from './room-broadcast.js';
import { handleRoomJoin } from './room-join.js';
import { handleRoomLeave } from './room-leave.js';
import { handleRoomStateSet } from './room-state-set.js';
import { handleSignal } from './signal.js';
import { handleStats } from './stats.js';

/** Message type → handler. The type checker makes sure every client message type has one. */
export const DISPATCH_TABLE: { readonly [T in ClientMessageType]: Handler<T> } = {
  'room.join': handleRoomJoin,
  'room.leave': handleRoomLeave,
  signal: handleSignal,
  'room.broadcast': handleRoomBroadcast,
  'room.state.set': handleRoomStateSet,
  direct: handleDirect,
  stats: handleStats,
  ping: handlePing,
};
