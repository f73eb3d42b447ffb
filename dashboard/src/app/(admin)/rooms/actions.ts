'use server';

import { RoomName } from '@parley/protocol';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAdminAction, type ActionResult } from '../../../admin-api/for-request';

export type ActionState = ActionResult | null;

/**
 * Admin actions of the rooms pages. Inputs are passed through to the admin API as typed; the
 * signal server is the one that validates and refuses, and its code is shown as it is.
 */
export async function createRoom(_previous: ActionState, form: FormData): Promise<ActionState> {
  const name = String(form.get('name') ?? '').trim();
  const maxPeersText = String(form.get('maxPeers') ?? '').trim();
  const request: { name: RoomName; maxPeers?: number } = { name: name as RoomName };
  if (maxPeersText !== '') request.maxPeers = Number(maxPeersText);
  const result = await runAdminAction('room.create', { room: name }, (api) => api.createRoom(request), `Room ${name} created.`);
  if (result.ok) revalidatePath('/rooms');
  return result;
}

export async function closeRoom(room: string, _previous: ActionState): Promise<ActionState> {
  const result = await runAdminAction('room.close', { room }, (api) => api.closeRoom(room), `Room ${room} closed.`);
  if (!result.ok) return result;
  redirect(`/rooms?closed=${encodeURIComponent(room)}`);
}

export async function kickPeer(room: string, peerId: string, _previous: ActionState): Promise<ActionState> {
  const result = await runAdminAction('peer.kick', { room, peerId }, (api) => api.kickPeer(room, peerId), `Peer ${peerId} kicked.`);
  if (result.ok) revalidatePath(`/rooms/${encodeURIComponent(room)}`);
  return result;
}
