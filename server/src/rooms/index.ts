/**
 * rooms/ — the room domain: members in join order, perfect-negotiation roles, shared state,
 * limits and the lifecycle timeouts. Rule: no I/O and no clock of its own (a Clock is passed in);
 * callers are told about lifecycle changes through RoomLifecycleListener.
 */
export * from './room.js';
export * from './room-registry.js';
export * from './quality.js';
