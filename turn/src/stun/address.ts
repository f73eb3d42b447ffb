import { FAMILY_IPV4, FAMILY_IPV6, MAGIC_COOKIE } from './constants.js';

/**
 * Transport addresses as the codec sees them: an IP literal in the form Node's sockets report
 * (dotted quad, or RFC 5952 text for IPv6 as glibc's inet_ntop prints it), a port and a family.
 * Parsing and formatting live here so the codec needs no socket module.
 */
export interface TransportAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

/**
 * Parses a dotted-quad IPv4 literal (four groups of 1–3 decimal digits, each at most 255) into 4
 * bytes, or null. One pass over the character codes: it runs for the addresses of every Allocate
 * answer and permission, so no split or regular expression.
 */
export function parseIpv4(text: string): Uint8Array | null {
  const length = text.length;
  if (length < 7 || length > 15) return null;
  const bytes = new Uint8Array(4);
  let group = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || group === 3 || value > 255) return null;
      bytes[group++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (code < 0x30 || code > 0x39 || digits === 3) return null;
    value = value * 10 + (code - 0x30);
    digits++;
  }
  if (group !== 3 || digits === 0 || value > 255) return null;
  bytes[3] = value;
  return bytes;
}

/** Parses an IPv6 literal (with optional embedded IPv4 tail, no zone) into 16 bytes, or null. */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > 45 || text.includes('%')) return null;
  let head = text;
  const lastColon = text.lastIndexOf(':');
  if (lastColon === -1) return null;
  if (text.indexOf('.', lastColon) !== -1) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const tail = parseIpv4(text.slice(lastColon + 1));
    if (!tail) return null;
    head = `${text.slice(0, lastColon + 1)}${((tail[0]! << 8) | tail[1]!).toString(16)}:${((tail[2]! << 8) | tail[3]!).toString(16)}`;
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== -1 && head.indexOf('::', doubleColon + 1) !== -1) return null;
  const groups: number[] = [];
  const parseGroups = (part: string): boolean => {
    if (part === '') return true;
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
      groups.push(parseInt(group, 16));
    }
    return true;
  };
  let filled: number[];
  if (doubleColon === -1) {
    if (!parseGroups(head) || groups.length !== 8) return null;
    filled = groups;
  } else {
    if (!parseGroups(head.slice(0, doubleColon))) return null;
    const left = groups.splice(0);
    if (!parseGroups(head.slice(doubleColon + 2))) return null;
    const right = groups;
    if (left.length + right.length > 7) return null;
    filled = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[i * 2] = filled[i]! >> 8;
    bytes[i * 2 + 1] = filled[i]! & 0xff;
  }
  return bytes;
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * RFC 5952 text, matching glibc's inet_ntop (which Node's sockets use): lower case, the longest
 * run of two or more zero groups compressed (the first on a tie), and an IPv4 tail for
 * IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses.
 */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  let bestBase = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestBase = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i > 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
      out += formatIpv4(bytes, offset + 12);
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLength === 8) out += ':';
  return out;
}

/**
 * IPv4 texts by address word, for paths that meet the same few addresses on every packet
 * (received datagrams, the peers of Send indications), so a steady flow formats nothing.
 * Bounded: emptied when full (a relay talks to a bounded set of addresses at a time).
 */
export class Ipv4TextCache {
  private readonly texts = new Map<number, string>();

  constructor(private readonly limit = 16_384) {}

  /** The dotted quad of the address whose four bytes, first byte highest, make up `word`. */
  text(word: number): string {
    const key = word | 0;
    let text = this.texts.get(key);
    if (text === undefined) {
      text = `${key >>> 24}.${(key >>> 16) & 0xff}.${(key >>> 8) & 0xff}.${key & 0xff}`;
      if (this.texts.size >= this.limit) this.texts.clear();
      this.texts.set(key, text);
    }
    return text;
  }
}

/** 4 or 6 for an IP literal, 0 for anything else. */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (parseIpv4(text)) return 4;
  if (parseIpv6(text)) return 6;
  return 0;
}

/** The canonical text of an IP literal (what a socket would report), or null. */
export function canonicalIp(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4) return formatIpv4(v4);
  const v6 = parseIpv6(text);
  return v6 ? formatIpv6(v6) : null;
}

/** The 4 or 16 bytes of an IP literal, or null. */
export function ipBytes(text: string): Uint8Array | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

/**
 * Encodes an XOR-MAPPED-ADDRESS-shaped value (also XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS):
 * RFC 8489 §14.2: X-Port is the port XOR'ed with the top 16 bits of the magic cookie; an IPv4
 * X-Address is XOR'ed with the cookie, an IPv6 one with the cookie followed by the transaction ID.
 */
export function encodeXorAddress(address: TransportAddress, transactionId: Uint8Array): Buffer {
  const ip = address.family === 4 ? parseIpv4(address.address) : parseIpv6(address.address);
  if (!ip) throw new RangeError(`not an IPv${address.family} literal`);
  const value = Buffer.alloc(4 + ip.length);
  value[1] = address.family === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
  value.writeUInt16BE((address.port ^ (MAGIC_COOKIE >>> 16)) & 0xffff, 2);
  for (let i = 0; i < ip.length; i++) {
    const mask = i < 4 ? (MAGIC_COOKIE >>> (24 - i * 8)) & 0xff : transactionId[i - 4]!;
    value[4 + i] = ip[i]! ^ mask;
  }
  return value;
}

/** Decodes an XOR address value; null when the family or length is wrong. */
export function decodeXorAddress(value: Uint8Array, transactionId: Uint8Array): TransportAddress | null {
  if (value.length < 4) return null;
  const family = value[1];
  const length = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
  if (length === 0 || value.length !== 4 + length) return null;
  const port = (((value[2]! << 8) | value[3]!) ^ (MAGIC_COOKIE >>> 16)) & 0xffff;
  const ip = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const mask = i < 4 ? (MAGIC_COOKIE >>> (24 - i * 8)) & 0xff : transactionId[i - 4]!;
    ip[i] = value[4 + i]! ^ mask;
  }
  return length === 4 ? { family: 4, address: formatIpv4(ip), port } : { family: 6, address: formatIpv6(ip), port };
}

/** Encodes a plain (non-XOR) MAPPED-ADDRESS / ALTERNATE-SERVER value (RFC 8489 §14.1). */
export function encodePlainAddress(address: TransportAddress): Buffer {
  const ip = address.family === 4 ? parseIpv4(address.address) : parseIpv6(address.address);
  if (!ip) throw new RangeError(`not an IPv${address.family} literal`);
  const value = Buffer.alloc(4 + ip.length);
  value[1] = address.family === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
  value.writeUInt16BE(address.port, 2);
  value.set(ip, 4);
  return value;
}

export function decodePlainAddress(value: Uint8Array): TransportAddress | null {
  if (value.length < 4) return null;
  const family = value[1];
  const port = (value[2]! << 8) | value[3]!;
  if (family === FAMILY_IPV4 && value.length === 8) return { family: 4, address: formatIpv4(value, 4), port };
  if (family === FAMILY_IPV6 && value.length === 20) return { family: 6, address: formatIpv6(value, 4), port };
  return null;
}
