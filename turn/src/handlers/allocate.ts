import { Allocation } from '../allocation/allocation.js';
import type { ClientLink, RelaySocket } from '../allocation/ports.js';
import type { Authenticated } from '../auth/authenticator.js';
import { decodeAddressFamily, decodeEvenPort, decodeRequestedTransport, encodeAddressErrorCode, RESERVATION_TOKEN_BYTES } from '../proto/turn-attributes.js';
import { encodeXorAddress, type TransportAddress } from '../stun/address.js';
import { decodeUint32, encodeUint32 } from '../stun/attributes.js';
import {
  ATTR_ADDITIONAL_ADDRESS_FAMILY,
  ATTR_ADDRESS_ERROR_CODE,
  ATTR_EVEN_PORT,
  ATTR_LIFETIME,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_RESERVATION_TOKEN,
  ATTR_XOR_MAPPED_ADDRESS,
  ATTR_XOR_RELAYED_ADDRESS,
  ERROR_ADDRESS_FAMILY_NOT_SUPPORTED,
  ERROR_ALLOCATION_MISMATCH,
  ERROR_ALLOCATION_QUOTA_REACHED,
  ERROR_BAD_REQUEST,
  ERROR_INSUFFICIENT_CAPACITY,
  ERROR_UNSUPPORTED_TRANSPORT_PROTOCOL,
  TRANSPORT_UDP,
} from '../stun/constants.js';
import type { StunAttributeInput } from '../stun/encode.js';
import { getAttribute, type StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';
import { fail, ok, type HandlerResult } from './result.js';

/** The lifetime granted for a requested one (RFC 8656 §7.2 / §7.3), capped by the credential under `strict`. */
export function grantedLifetimeSeconds(context: HandlerContext, requested: number | null, auth: Authenticated, allocate: boolean): number {
  const { allocationDefaultSeconds, allocationMaxSeconds } = context.config.lifetimes;
  let lifetime: number;
  if (requested === null) lifetime = allocationDefaultSeconds;
  // Allocate: "If the value of the LIFETIME attribute is less than the default, the server uses the default."
  else if (allocate && requested < allocationDefaultSeconds) lifetime = allocationDefaultSeconds;
  else lifetime = Math.min(requested, allocationMaxSeconds);
  if (context.config.auth.expiryPolicy === 'strict') {
    const left = Math.floor(auth.credentialExpiresAtSeconds - context.clock.nowMs() / 1000);
    // An allocation never outlives its credential; Allocate itself is refused once it expired.
    lifetime = Math.max(allocate ? 1 : 0, Math.min(lifetime, left));
  }
  return lifetime;
}

/**
 * Allocate (RFC 8656 §7.2). The checks run in the RFC's order; each answer code is the one the
 * RFC names for that step.
 */
export async function handleAllocate(context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated): Promise<HandlerResult | null> {
  const transactionIdHex = request.transactionId.toString('hex');
  // Step 2: "The server checks if the 5-tuple is currently in use by an existing allocation. If
  // yes, the server rejects the request with a 437 (Allocation Mismatch) error" — unless it is a
  // retransmission of the request that created it, which gets the same success response again.
  const existing = link.allocation;
  if (existing) {
    if (existing.transactionIdHex === transactionIdHex && existing.allocateResponse) return { code: 200, response: existing.allocateResponse };
    return fail(context, request, auth, ERROR_ALLOCATION_MISMATCH);
  }
  if (link.pendingAllocate !== null) {
    // The first copy of this request is still binding its relayed socket; it will answer.
    if (link.pendingAllocate === transactionIdHex) return null;
    return fail(context, request, auth, ERROR_ALLOCATION_MISMATCH);
  }

  // Step 3: "The server checks if the request contains a REQUESTED-TRANSPORT attribute. If the
  // REQUESTED-TRANSPORT attribute is not included or is malformed, the server rejects the request
  // with a 400 (Bad Request) error. Otherwise, if the attribute indicates that the client wants a
  // transport protocol other than UDP, the server rejects it with a 442."
  const transport = decodeRequestedTransport(getAttribute(request, ATTR_REQUESTED_TRANSPORT));
  if (transport === null) return fail(context, request, auth, ERROR_BAD_REQUEST);
  if (transport !== TRANSPORT_UDP) return fail(context, request, auth, ERROR_UNSUPPORTED_TRANSPORT_PROTOCOL);

  // Step 4, DONT-FRAGMENT: accepted. Linux sends relayed UDP with DF set by default
  // (IP_PMTUDISC_WANT), which is what the client asks for.

  // Steps 5–6: RESERVATION-TOKEN excludes EVEN-PORT and REQUESTED-ADDRESS-FAMILY (400).
  const reservationValue = getAttribute(request, ATTR_RESERVATION_TOKEN);
  const evenPortValue = getAttribute(request, ATTR_EVEN_PORT);
  const requestedFamilyValue = getAttribute(request, ATTR_REQUESTED_ADDRESS_FAMILY);
  const additionalFamilyValue = getAttribute(request, ATTR_ADDITIONAL_ADDRESS_FAMILY);
  if (reservationValue && (evenPortValue || requestedFamilyValue || additionalFamilyValue)) return fail(context, request, auth, ERROR_BAD_REQUEST);
  if (reservationValue && reservationValue.length !== RESERVATION_TOKEN_BYTES) return fail(context, request, auth, ERROR_BAD_REQUEST);
  const evenPort = evenPortValue ? decodeEvenPort(evenPortValue) : null;
  if (evenPortValue && !evenPort) return fail(context, request, auth, ERROR_BAD_REQUEST);

  // REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY (§7.2): both at once is 400; an
  // ADDITIONAL-ADDRESS-FAMILY other than IPv6 is 400; a family this server cannot relay is 440.
  if (requestedFamilyValue && additionalFamilyValue) return fail(context, request, auth, ERROR_BAD_REQUEST);
  let primaryFamily: 4 | 6 = 4;
  let wantAdditionalIpv6 = false;
  if (requestedFamilyValue) {
    const family = decodeAddressFamily(requestedFamilyValue);
    if (family === null) return fail(context, request, auth, ERROR_BAD_REQUEST);
    if (family === 0 || !context.relaySockets.families.includes(family)) return fail(context, request, auth, ERROR_ADDRESS_FAMILY_NOT_SUPPORTED);
    primaryFamily = family;
  }
  if (additionalFamilyValue) {
    if (decodeAddressFamily(additionalFamilyValue) !== 6) return fail(context, request, auth, ERROR_BAD_REQUEST);
    // Dual allocation with an even-port reservation is not defined by the RFC; refuse it plainly.
    if (evenPort?.reserveNext) return fail(context, request, auth, ERROR_BAD_REQUEST);
    wantAdditionalIpv6 = true;
  }
  if (!context.relaySockets.families.includes(primaryFamily)) return fail(context, request, auth, ERROR_ADDRESS_FAMILY_NOT_SUPPORTED);

  // Quotas: "486 (Allocation Quota Reached) if the server is unable to allocate because the user
  // has exceeded its quota" and "508 (Insufficient Capacity)" when the node itself is full.
  const userKey = auth.userId ?? auth.username;
  if (context.allocations.allocationsOfUser(userKey) >= context.config.quotas.allocationsPerUser) {
    return fail(context, request, auth, ERROR_ALLOCATION_QUOTA_REACHED);
  }
  if (context.allocations.size >= context.config.quotas.totalAllocations) return fail(context, request, auth, ERROR_INSUFFICIENT_CAPACITY);

  const lifetimeSeconds = grantedLifetimeSeconds(context, decodeUint32(getAttribute(request, ATTR_LIFETIME)), auth, true);

  link.attach();
  link.pendingAllocate = transactionIdHex;
  const relays: RelaySocket[] = [];
  let reservationToken: string | null = null;
  let additionalError = false;
  try {
    if (reservationValue) {
      const reserved = await context.relaySockets.claimReservation(reservationValue.toString('hex'));
      // A token that is unknown or expired cannot be honoured: 508 like any other exhausted port.
      if (!reserved) return abandon(context, link, request, auth, ERROR_INSUFFICIENT_CAPACITY);
      relays.push(reserved);
    } else {
      const primary = await context.relaySockets.open({ family: primaryFamily, evenPort: evenPort !== null, reserveNext: evenPort?.reserveNext ?? false });
      if (!primary.ok) return abandon(context, link, request, auth, primary.reason === 'family_unsupported' ? ERROR_ADDRESS_FAMILY_NOT_SUPPORTED : ERROR_INSUFFICIENT_CAPACITY);
      relays.push(primary.socket);
      reservationToken = primary.reservationToken;
      if (wantAdditionalIpv6) {
        const secondary = context.relaySockets.families.includes(6) ? await context.relaySockets.open({ family: 6, evenPort: false, reserveNext: false }) : null;
        if (secondary?.ok) relays.push(secondary.socket);
        // §7.2: if the IPv6 address cannot be allocated the IPv4 one is still granted, with
        // ADDRESS-ERROR-CODE telling why.
        else additionalError = true;
      }
    }
  } catch (error) {
    for (const relay of relays) relay.close();
    link.pendingAllocate = null;
    link.detach();
    throw error;
  }
  if (link.pendingAllocate !== transactionIdHex) {
    // The client went away while the sockets were binding.
    for (const relay of relays) relay.close();
    return null;
  }
  link.pendingAllocate = null;

  const nowMs = context.clock.nowMs();
  const relayedAddresses: TransportAddress[] = relays.map((relay) => context.advertisedAddress(relay.family, relay.bindAddress, relay.port));
  const allocation = new Allocation({
    id: context.newAllocationId(),
    client: link,
    username: auth.username,
    userId: auth.userId,
    room: auth.room,
    credentialExpiresAtSeconds: auth.credentialExpiresAtSeconds,
    relays,
    relayedAddresses,
    nowMs,
    lifetimeSeconds,
    bandwidthBytesPerSecond: context.config.quotas.allocationBytesPerSecond,
    user: context.allocations.userUsage(userKey, nowMs),
    transactionIdHex,
  });
  context.allocations.add(allocation);
  link.allocation = allocation;
  const relay = context.relay;
  for (const socket of relays) socket.setReceiver((datagram, peerAddress, peerPort) => relay.fromPeer(allocation, datagram, peerAddress, peerPort));

  const attributes: StunAttributeInput[] = relayedAddresses.map((address) => ({ type: ATTR_XOR_RELAYED_ADDRESS, value: encodeXorAddress(address, request.transactionId) }));
  attributes.push({ type: ATTR_LIFETIME, value: encodeUint32(lifetimeSeconds) });
  if (reservationToken) attributes.push({ type: ATTR_RESERVATION_TOKEN, value: Buffer.from(reservationToken, 'hex') });
  if (additionalError) {
    attributes.push({ type: ATTR_ADDRESS_ERROR_CODE, value: encodeAddressErrorCode(6, ERROR_ADDRESS_FAMILY_NOT_SUPPORTED, 'Address Family not Supported') });
  }
  attributes.push({ type: ATTR_XOR_MAPPED_ADDRESS, value: encodeXorAddress({ family: link.family, address: link.address, port: link.port }, request.transactionId) });
  const result = ok(context, request, auth, attributes);
  allocation.allocateResponse = result.response;
  context.events.allocationCreated(allocation);
  return result;
}

function abandon(context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated, code: number): HandlerResult {
  link.pendingAllocate = null;
  link.detach();
  return fail(context, request, auth, code);
}
