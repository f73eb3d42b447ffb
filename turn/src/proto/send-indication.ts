import { Ipv4TextCache } from '../stun/address.js';
import {
  ATTR_DATA,
  ATTR_FINGERPRINT,
  ATTR_XOR_PEER_ADDRESS,
  CLASS_INDICATION,
  FAMILY_IPV4,
  HEADER_BYTES,
  MAGIC_COOKIE,
  METHOD_SEND,
  messageType,
} from '../stun/constants.js';
import { fingerprintValue } from '../stun/crc32.js';

/** The message type of a Send indication (RFC 8656 §10.2), 0x0016. */
export const SEND_INDICATION_TYPE = messageType(METHOD_SEND, CLASS_INDICATION);

/**
 * Reads the Send indications a relay sees all the time in place, without the generic decoder's
 * attribute list, views and address objects: this is the data plane of clients that use Send
 * instead of channels (RFC 8656 §10.2), one call per packet.
 *
 * It takes only messages whose outcome it knows to be the generic path's: a well-formed Send
 * indication carrying one IPv4 XOR-PEER-ADDRESS and a DATA, with any comprehension-optional
 * attributes and an optional FINGERPRINT (checked) last. For anything else (IPv6 peers,
 * MESSAGE-INTEGRITY, other comprehension-required attributes, missing attributes, malformed bytes)
 * `read` returns false and the caller hands the bytes to decodeStunMessage, which stays the one
 * judge of what is malformed and how it is counted. Never throws.
 *
 * One reader per control plane: `read` overwrites the fields, which are valid until the next call.
 */
export class SendIndicationReader {
  /** XOR-PEER-ADDRESS, decoded: the IP text as a socket reports it, and the port. */
  peerAddress = '';
  peerPort = 0;
  /** Where DATA's value sits in the message given to `read`. */
  dataOffset = 0;
  dataLength = 0;
  private readonly peerTexts = new Ipv4TextCache();

  /** True when `raw` is a Send indication this reader took (fields set); false → use the generic decoder. */
  read(raw: Buffer): boolean {
    const total = raw.length;
    if (total < HEADER_BYTES || ((raw[0]! << 8) | raw[1]!) !== SEND_INDICATION_TYPE) return false;
    if (raw.readUInt32BE(4) !== MAGIC_COOKIE) return false;
    const length = (raw[2]! << 8) | raw[3]!;
    if ((length & 3) !== 0 || HEADER_BYTES + length !== total) return false;
    let peerOffset = -1;
    let dataOffset = -1;
    let dataLength = 0;
    let offset = HEADER_BYTES;
    while (offset < total) {
      if (offset + 4 > total) return false;
      const type = (raw[offset]! << 8) | raw[offset + 1]!;
      const valueLength = (raw[offset + 2]! << 8) | raw[offset + 3]!;
      const end = offset + 4 + valueLength;
      if (end > total) return false;
      const next = end + ((4 - (valueLength & 3)) & 3);
      if (type === ATTR_XOR_PEER_ADDRESS) {
        // RFC 8489 §14: of duplicate attributes only the first counts.
        if (peerOffset === -1) {
          if (valueLength !== 8 || raw[offset + 5] !== FAMILY_IPV4) return false;
          peerOffset = offset + 4;
        }
      } else if (type === ATTR_DATA) {
        if (dataOffset === -1) {
          dataOffset = offset + 4;
          dataLength = valueLength;
        }
      } else if (type === ATTR_FINGERPRINT) {
        // RFC 8489 §14.7: the last attribute, the CRC-32 of everything before it XOR 0x5354554e.
        if (valueLength !== 4 || next !== total) return false;
        if (raw.readUInt32BE(offset + 4) !== fingerprintValue(raw, offset)) return false;
      } else if (type < 0x8000) {
        // Comprehension-required (MESSAGE-INTEGRITY, DONT-FRAGMENT, unknown ones...): the generic path decides.
        return false;
      }
      offset = next;
    }
    if (offset !== total || peerOffset === -1 || dataOffset === -1) return false;
    this.peerPort = (((raw[peerOffset + 2]! << 8) | raw[peerOffset + 3]!) ^ (MAGIC_COOKIE >>> 16)) & 0xffff;
    // The X-Address is the address XOR'ed with the magic cookie (§14.2).
    this.peerAddress = this.peerTexts.text(raw.readUInt32BE(peerOffset + 4) ^ MAGIC_COOKIE);
    this.dataOffset = dataOffset;
    this.dataLength = dataLength;
    return true;
  }
}
