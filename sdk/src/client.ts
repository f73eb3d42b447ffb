import type { RoomName, ServerMessageOf, UserId } from '@parley/protocol';
import { ParleyError } from './errors.js';
import { DEFAULT_TURN_PROBE_TIMEOUT_MS, probeTurn, type TurnProbeResult } from './mesh/turn-probe.js';
import { Room, type JoinOptions } from './room/room.js';
import { SignalingClient, type ConnectOptions, type TokenSource } from './signaling/client.js';

/**
 * The SDK's entry point: a signaling connection plus the rooms joined through it.
 *
 *   const client = await connect('https://parley.example.com', token);
 *   const room = await client.join('standup', { meta: { name: 'Ada' }, localStream });
 *   room.on('track', ({ peerId, track }) => ...);
 */
export class ParleyClient extends SignalingClient {
  #rooms = new Map<string, Room>();

  /** Rooms currently joined, by name. */
  get rooms(): ReadonlyMap<string, Room> {
    return this.#rooms;
  }

  /** Joins a room (creating it when the token allows) and connects to everyone in it. */
  async join(room: string, options: JoinOptions = {}): Promise<Room> {
    if (this.#rooms.has(room)) throw new ParleyError('ALREADY_IN_ROOM', `already in ${room}`);
    const joined = await this.request<ServerMessageOf<'room.joined'>>({ type: 'room.join', room: room as RoomName, ...(options.meta ? { meta: options.meta } : {}) });
    // Runs before the next socket message is handled, so no message of this room is missed.
    const joinedRoom = new Room(this, joined, options);
    this.#rooms.set(room, joinedRoom);
    joinedRoom.once('closed', () => {
      if (this.#rooms.get(room) === joinedRoom) this.#rooms.delete(room);
    });
    return joinedRoom;
  }

  /** Sends `data` to every session of another user (needs the `direct` grant). */
  async sendDirect(toUser: string, data: unknown): Promise<void> {
    await this.request({ type: 'direct', toUser: toUser as UserId, data });
  }

  /** Checks that the session's TURN servers hand out relay candidates. */
  probeTurn(timeoutMs = DEFAULT_TURN_PROBE_TIMEOUT_MS): Promise<TurnProbeResult> {
    return probeTurn(this.iceServers, timeoutMs);
  }
}

/** Connects to a signal server; resolves once the session is established. */
export async function connect(url: string, token: TokenSource, options: ConnectOptions = {}): Promise<ParleyClient> {
  const client = new ParleyClient(url, token, options);
  await client.open();
  return client;
}
