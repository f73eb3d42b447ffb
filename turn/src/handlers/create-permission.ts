import type { ClientLink } from '../allocation/ports.js';
import type { Authenticated } from '../auth/authenticator.js';
import {
  ERROR_ALLOCATION_MISMATCH,
  ERROR_BAD_REQUEST,
  ERROR_FORBIDDEN,
  ERROR_INSUFFICIENT_CAPACITY,
  ERROR_PEER_ADDRESS_FAMILY_MISMATCH,
  ERROR_WRONG_CREDENTIALS,
} from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';
import { peerAddresses } from './peer-addresses.js';
import { fail, ok, type HandlerResult } from './result.js';

/** CreatePermission (RFC 8656 §9.2): installs or refreshes permissions for one or more peer IPs, all or none. */
export function handleCreatePermission(context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated): HandlerResult {
  const allocation = link.allocation;
  if (!allocation) return fail(context, request, auth, ERROR_ALLOCATION_MISMATCH);
  if (allocation.username !== auth.username) return fail(context, request, auth, ERROR_WRONG_CREDENTIALS);
  // "When the server receives the CreatePermission request, it processes as per Section 5 plus
  // the specific rules mentioned here. The message is checked for validity. The CreatePermission
  // request MUST contain at least one XOR-PEER-ADDRESS attribute."
  const peers = peerAddresses(request);
  if (peers === null || peers.length === 0) return fail(context, request, auth, ERROR_BAD_REQUEST);
  const nowMs = context.clock.nowMs();
  let newPermissions = 0;
  const seen = new Set<string>();
  for (const peer of peers) {
    // "If an XOR-PEER-ADDRESS attribute contains an address of an address family that is not the
    // same as that of a relayed transport address for the allocation, the server MUST generate an
    // error response with the 443 (Peer Address Family Mismatch) response code."
    if (!allocation.hasFamily(peer.family)) return fail(context, request, auth, ERROR_PEER_ADDRESS_FAMILY_MISMATCH);
    // "The server MAY impose restrictions on the IP address allowed in the XOR-PEER-ADDRESS
    // attribute; if a value is not allowed, the server rejects the request with a 403 (Forbidden)."
    if (context.policy.decide(peer.address) === 'denied') return fail(context, request, auth, ERROR_FORBIDDEN);
    if (!seen.has(peer.address) && !allocation.hasPermission(peer.address, nowMs)) newPermissions++;
    seen.add(peer.address);
  }
  // "If the server is unable to install permissions due to resource limitations, the server
  // rejects the request with a 508 (Insufficient Capacity) error."
  if (allocation.permissionCount(nowMs) + newPermissions > context.config.quotas.permissionsPerAllocation) {
    return fail(context, request, auth, ERROR_INSUFFICIENT_CAPACITY);
  }
  const expiresAtMs = nowMs + context.config.lifetimes.permissionSeconds * 1000;
  for (const peer of peers) allocation.installPermission(peer.address, peer.family, expiresAtMs);
  return ok(context, request, auth, []);
}
