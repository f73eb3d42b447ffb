import type { ClientLink } from '../allocation/ports.js';
import type { Authenticated } from '../auth/authenticator.js';
import { isValidChannelNumber } from '../proto/channel-data.js';
import { decodeChannelNumber } from '../proto/turn-attributes.js';
import {
  ATTR_CHANNEL_NUMBER,
  ERROR_ALLOCATION_MISMATCH,
  ERROR_BAD_REQUEST,
  ERROR_FORBIDDEN,
  ERROR_INSUFFICIENT_CAPACITY,
  ERROR_PEER_ADDRESS_FAMILY_MISMATCH,
  ERROR_WRONG_CREDENTIALS,
} from '../stun/constants.js';
import { getAttribute, type StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';
import { peerAddresses } from './peer-addresses.js';
import { fail, ok, type HandlerResult } from './result.js';

/** ChannelBind (RFC 8656 §11.2): binds a channel number to a peer transport address, or refreshes it. */
export function handleChannelBind(context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated): HandlerResult {
  const allocation = link.allocation;
  if (!allocation) return fail(context, request, auth, ERROR_ALLOCATION_MISMATCH);
  if (allocation.username !== auth.username) return fail(context, request, auth, ERROR_WRONG_CREDENTIALS);
  // "The request contains both a CHANNEL-NUMBER and an XOR-PEER-ADDRESS attribute; the channel
  // number is in the range 0x4000 through 0x4FFF (inclusive)" — otherwise 400. With
  // compat.legacyChannelNumbers the RFC 5766 range up to 0x7FFF is accepted too (coturn's clients use it).
  const channel = decodeChannelNumber(getAttribute(request, ATTR_CHANNEL_NUMBER));
  const peers = peerAddresses(request);
  if (channel === null || !isValidChannelNumber(channel, context.config.compat.legacyChannelNumbers) || peers === null || peers.length !== 1) return fail(context, request, auth, ERROR_BAD_REQUEST);
  const peer = peers[0]!;
  // "If the XOR-PEER-ADDRESS attribute contains an address of an address family that is not the
  // same as that of a relayed transport address for the allocation, the server MUST generate an
  // error response with the 443 (Peer Address Family Mismatch) response code."
  if (!allocation.hasFamily(peer.family)) return fail(context, request, auth, ERROR_PEER_ADDRESS_FAMILY_MISMATCH);
  // "The server MAY impose restrictions on the IP address and port values allowed in the
  // XOR-PEER-ADDRESS attribute; if a value is not allowed, the server rejects the request with a
  // 403 (Forbidden) error."
  if (context.policy.decide(peer.address) === 'denied') return fail(context, request, auth, ERROR_FORBIDDEN);
  const nowMs = context.clock.nowMs();
  // "The channel number is not currently bound to a different transport address (same transport
  // address is OK); the transport address is not currently bound to a different channel number."
  if (allocation.channelBindConflict(channel, peer.address, peer.port, nowMs)) return fail(context, request, auth, ERROR_BAD_REQUEST);
  const existing = allocation.channels.get(channel);
  const isNewChannel = !existing || existing.expiresAtMs <= nowMs;
  const isNewPermission = !allocation.hasPermission(peer.address, nowMs);
  // "If the server is unable to fulfill the request, the server replies with a 508."
  if (isNewChannel && allocation.channelCount(nowMs) >= context.config.quotas.channelsPerAllocation) return fail(context, request, auth, ERROR_INSUFFICIENT_CAPACITY);
  if (isNewPermission && allocation.permissionCount(nowMs) >= context.config.quotas.permissionsPerAllocation) return fail(context, request, auth, ERROR_INSUFFICIENT_CAPACITY);
  const { channelSeconds, permissionSeconds } = context.config.lifetimes;
  allocation.bindChannel(channel, peer.address, peer.family, peer.port, nowMs + channelSeconds * 1000, nowMs + permissionSeconds * 1000);
  return ok(context, request, auth, []);
}
