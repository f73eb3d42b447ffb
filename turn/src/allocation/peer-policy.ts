import { parseIpv4, parseIpv6 } from '../stun/address.js';

/**
 * Which peer addresses an allocation may install permissions for. Denied by default: every range
 * that reaches the relay's own host or private networks (loopback, RFC 1918, CGNAT, link-local,
 * ULA), plus unspecified, multicast, reserved and documentation ranges, and their IPv4-mapped
 * IPv6 forms. An allow-list entry overrides the deny list (tests on loopback say so explicitly).
 */
export const DEFAULT_DENIED_PEERS: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '64:ff9b::/96',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
];

export interface Cidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefixBits: number;
}

/** Parses "a.b.c.d/n", "x::y/n" or a bare address (a /32 or /128). Throws RangeError on bad text (config time only). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const v4 = parseIpv4(addressText);
  const bytes = v4 ?? parseIpv6(addressText);
  if (!bytes) throw new RangeError(`not a CIDR: ${text}`);
  const maxBits = v4 ? 32 : 128;
  const prefixBits = slash === -1 ? maxBits : Number(text.slice(slash + 1));
  if (!Number.isInteger(prefixBits) || prefixBits < 0 || prefixBits > maxBits || (slash !== -1 && !/^\d+$/.test(text.slice(slash + 1)))) {
    throw new RangeError(`bad prefix length in CIDR: ${text}`);
  }
  return { family: v4 ? 4 : 6, bytes, prefixBits };
}

function matches(cidr: Cidr, bytes: Uint8Array): boolean {
  if (bytes.length !== cidr.bytes.length) return false;
  let bits = cidr.prefixBits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

export type PeerDecision = 'allowed' | 'denied';

export class PeerPolicy {
  private readonly allow: Cidr[];
  private readonly deny: Cidr[];

  constructor(options: { allowPeers: readonly string[]; denyPeers: readonly string[] }) {
    this.allow = options.allowPeers.map(parseCidr);
    this.deny = options.denyPeers.map(parseCidr);
  }

  /** Decides for one peer IP literal; anything that is not an IP literal is denied. */
  decide(ip: string): PeerDecision {
    const bytes = parseIpv4(ip) ?? parseIpv6(ip);
    if (!bytes) return 'denied';
    // An IPv4-mapped IPv6 address reaches the IPv4 host, so the IPv4 rules apply to it too.
    const candidates = isIpv4Mapped(bytes) ? [bytes, bytes.subarray(12)] : [bytes];
    if (candidates.some((candidate) => this.allow.some((cidr) => matches(cidr, candidate)))) return 'allowed';
    if (candidates.some((candidate) => this.deny.some((cidr) => matches(cidr, candidate)))) return 'denied';
    return 'allowed';
  }
}
