import type { ClientLink } from '../allocation/ports.js';
import { encodeXorAddress } from '../stun/address.js';
import { ATTR_XOR_MAPPED_ADDRESS } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';
import type { HandlerResult } from './result.js';
import { successResponse } from './responses.js';

/**
 * Binding (RFC 8489 §3, §6.3.1): answers with the client's reflexive transport address in
 * XOR-MAPPED-ADDRESS. Needs no credentials, so clients can discover server-reflexive candidates.
 */
export function handleBinding(context: HandlerContext, link: ClientLink, request: StunMessage): HandlerResult {
  const mapped = encodeXorAddress({ family: link.family, address: link.address, port: link.port }, request.transactionId);
  return { code: 200, response: successResponse(context, request, [{ type: ATTR_XOR_MAPPED_ADDRESS, value: mapped }], null) };
}
