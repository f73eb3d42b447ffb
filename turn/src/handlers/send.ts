import type { ClientLink } from '../allocation/ports.js';
import { decodeXorAddress } from '../stun/address.js';
import { ATTR_DATA, ATTR_XOR_PEER_ADDRESS } from '../stun/constants.js';
import { getAttribute, type StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';

/**
 * Send indication (RFC 8656 §10.2): relays DATA to XOR-PEER-ADDRESS. Indications are never
 * answered: "If the Send indication ... lacks either of these attributes, or the allocation or
 * the permission is missing, the indication is silently discarded."
 */
export function handleSendIndication(context: HandlerContext, link: ClientLink, indication: StunMessage): void {
  const allocation = link.allocation;
  if (!allocation) return;
  const peerValue = getAttribute(indication, ATTR_XOR_PEER_ADDRESS);
  const data = getAttribute(indication, ATTR_DATA);
  if (!peerValue || !data) return;
  const peer = decodeXorAddress(peerValue, indication.transactionId);
  if (!peer) return;
  context.relay.fromClientSend(allocation, peer.address, peer.port, data);
}
