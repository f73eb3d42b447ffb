import type { ClientLink } from '../allocation/ports.js';
import type { Authenticated } from '../auth/authenticator.js';
import { decodeAddressFamily } from '../proto/turn-attributes.js';
import { decodeUint32, encodeUint32 } from '../stun/attributes.js';
import { ATTR_LIFETIME, ATTR_REQUESTED_ADDRESS_FAMILY, ERROR_ALLOCATION_MISMATCH, ERROR_BAD_REQUEST, ERROR_PEER_ADDRESS_FAMILY_MISMATCH, ERROR_WRONG_CREDENTIALS } from '../stun/constants.js';
import { getAttribute, type StunMessage } from '../stun/message.js';
import { grantedLifetimeSeconds } from './allocate.js';
import { endAllocation, type HandlerContext } from './context.js';
import { fail, ok, type HandlerResult } from './result.js';

/** Refresh (RFC 8656 §7.3): extends or (lifetime 0) deletes the allocation of this 5-tuple. */
export function handleRefresh(context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated): HandlerResult {
  const allocation = link.allocation;
  // §7.3 via §5: a request on a 5-tuple without an allocation gets 437 (Allocation Mismatch).
  if (!allocation) return fail(context, request, auth, ERROR_ALLOCATION_MISMATCH);
  // §5: "the server MUST check that the USERNAME ... is the same as the one used to create the
  // allocation. If not, the server MUST reject the request with a 441 (Wrong Credentials)."
  if (allocation.username !== auth.username) return fail(context, request, auth, ERROR_WRONG_CREDENTIALS);
  const familyValue = getAttribute(request, ATTR_REQUESTED_ADDRESS_FAMILY);
  if (familyValue) {
    // "If the server receives a Refresh Request with a REQUESTED-ADDRESS-FAMILY attribute and the
    // attribute value does not match the address family of the allocation, the server MUST reply
    // with a 443 (Peer Address Family Mismatch) Refresh error response."
    const family = decodeAddressFamily(familyValue);
    if (family === null) return fail(context, request, auth, ERROR_BAD_REQUEST);
    if (family === 0 || !allocation.hasFamily(family)) return fail(context, request, auth, ERROR_PEER_ADDRESS_FAMILY_MISMATCH);
  }
  const lifetimeValue = getAttribute(request, ATTR_LIFETIME);
  const requested = lifetimeValue ? decodeUint32(lifetimeValue) : null;
  if (lifetimeValue && requested === null) return fail(context, request, auth, ERROR_BAD_REQUEST);
  // "If the requested lifetime is zero, then the server MUST immediately delete the allocation."
  const lifetimeSeconds = requested === 0 ? 0 : grantedLifetimeSeconds(context, requested, auth, false);
  if (lifetimeSeconds === 0) {
    endAllocation(context, allocation, 'refresh');
  } else {
    allocation.expiresAtMs = context.clock.nowMs() + lifetimeSeconds * 1000;
  }
  return ok(context, request, auth, [{ type: ATTR_LIFETIME, value: encodeUint32(lifetimeSeconds) }]);
}
