import { decodeXorAddress, type TransportAddress } from '../stun/address.js';
import { ATTR_XOR_PEER_ADDRESS } from '../stun/constants.js';
import type { StunMessage } from '../stun/message.js';

/** Every XOR-PEER-ADDRESS of a request (CreatePermission may carry several); null when one is malformed. */
export function peerAddresses(request: StunMessage): TransportAddress[] | null {
  const out: TransportAddress[] = [];
  for (const attribute of request.attributes) {
    if (attribute.type !== ATTR_XOR_PEER_ADDRESS) continue;
    const address = decodeXorAddress(attribute.value, request.transactionId);
    if (!address) return null;
    out.push(address);
  }
  return out;
}
