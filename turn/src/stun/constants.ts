/**
 * STUN wire constants (RFC 8489) and the TURN ones that live in the same registries (RFC 8656,
 * RFC 8489 §18). Names follow the IANA registry; the wire name is in the comment.
 */

/** Magic cookie, fixed in every RFC 5389+ header (RFC 8489 §5). */
export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_BYTES = 20;
export const TRANSACTION_ID_BYTES = 12;
/** RFC 8489 §14.5: FINGERPRINT is the CRC-32 of the message XOR'ed with this ("STUN"). */
export const FINGERPRINT_XOR = 0x5354554e;

/** The two class bits of a message type (RFC 8489 §5). */
export const CLASS_REQUEST = 0;
export const CLASS_INDICATION = 1;
export const CLASS_SUCCESS = 2;
export const CLASS_ERROR = 3;
export type StunClass = 0 | 1 | 2 | 3;

/** Methods (RFC 8489 §18.2, RFC 8656 §17). */
export const METHOD_BINDING = 0x001; // Binding
export const METHOD_ALLOCATE = 0x003; // Allocate
export const METHOD_REFRESH = 0x004; // Refresh
export const METHOD_SEND = 0x006; // Send
export const METHOD_DATA = 0x007; // Data
export const METHOD_CREATE_PERMISSION = 0x008; // CreatePermission
export const METHOD_CHANNEL_BIND = 0x009; // ChannelBind

/** Attribute types, comprehension-required range 0x0000–0x7FFF (RFC 8489 §18.3, RFC 8656 §18). */
export const ATTR_MAPPED_ADDRESS = 0x0001; // MAPPED-ADDRESS
export const ATTR_USERNAME = 0x0006; // USERNAME
export const ATTR_MESSAGE_INTEGRITY = 0x0008; // MESSAGE-INTEGRITY
export const ATTR_ERROR_CODE = 0x0009; // ERROR-CODE
export const ATTR_UNKNOWN_ATTRIBUTES = 0x000a; // UNKNOWN-ATTRIBUTES
export const ATTR_CHANNEL_NUMBER = 0x000c; // CHANNEL-NUMBER
export const ATTR_LIFETIME = 0x000d; // LIFETIME
export const ATTR_XOR_PEER_ADDRESS = 0x0012; // XOR-PEER-ADDRESS
export const ATTR_DATA = 0x0013; // DATA
export const ATTR_REALM = 0x0014; // REALM
export const ATTR_NONCE = 0x0015; // NONCE
export const ATTR_XOR_RELAYED_ADDRESS = 0x0016; // XOR-RELAYED-ADDRESS
export const ATTR_REQUESTED_ADDRESS_FAMILY = 0x0017; // REQUESTED-ADDRESS-FAMILY
export const ATTR_EVEN_PORT = 0x0018; // EVEN-PORT
export const ATTR_REQUESTED_TRANSPORT = 0x0019; // REQUESTED-TRANSPORT
export const ATTR_DONT_FRAGMENT = 0x001a; // DONT-FRAGMENT
export const ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001c; // MESSAGE-INTEGRITY-SHA256
export const ATTR_PASSWORD_ALGORITHM = 0x001d; // PASSWORD-ALGORITHM
export const ATTR_USERHASH = 0x001e; // USERHASH
export const ATTR_XOR_MAPPED_ADDRESS = 0x0020; // XOR-MAPPED-ADDRESS
export const ATTR_RESERVATION_TOKEN = 0x0022; // RESERVATION-TOKEN
/** Comprehension-optional range 0x8000–0xFFFF. */
export const ATTR_ADDITIONAL_ADDRESS_FAMILY = 0x8000; // ADDITIONAL-ADDRESS-FAMILY
export const ATTR_ADDRESS_ERROR_CODE = 0x8001; // ADDRESS-ERROR-CODE
export const ATTR_PASSWORD_ALGORITHMS = 0x8002; // PASSWORD-ALGORITHMS
export const ATTR_ALTERNATE_DOMAIN = 0x8003; // ALTERNATE-DOMAIN
export const ATTR_ICMP = 0x8004; // ICMP
export const ATTR_SOFTWARE = 0x8022; // SOFTWARE
export const ATTR_ALTERNATE_SERVER = 0x8023; // ALTERNATE-SERVER
export const ATTR_FINGERPRINT = 0x8028; // FINGERPRINT

/** Attributes with a type below 0x8000 must be understood or the request is refused (420). */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** Address families inside (XOR-)MAPPED-ADDRESS-like attributes (RFC 8489 §14.1). */
export const FAMILY_IPV4 = 0x01;
export const FAMILY_IPV6 = 0x02;

/** PASSWORD-ALGORITHM values (RFC 8489 §18.5). */
export const PASSWORD_ALGORITHM_MD5 = 0x0001; // MD5
export const PASSWORD_ALGORITHM_SHA256 = 0x0002; // SHA-256

/** REQUESTED-TRANSPORT protocol number for UDP (RFC 8656 §14.7). */
export const TRANSPORT_UDP = 17;

/** Error codes used by this server (RFC 8489 §14.8, RFC 8656 §18). */
export const ERROR_TRY_ALTERNATE = 300;
export const ERROR_BAD_REQUEST = 400;
export const ERROR_UNAUTHENTICATED = 401;
export const ERROR_FORBIDDEN = 403;
export const ERROR_UNKNOWN_ATTRIBUTE = 420;
export const ERROR_ALLOCATION_MISMATCH = 437;
export const ERROR_STALE_NONCE = 438;
export const ERROR_ADDRESS_FAMILY_NOT_SUPPORTED = 440;
export const ERROR_WRONG_CREDENTIALS = 441;
export const ERROR_UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
export const ERROR_PEER_ADDRESS_FAMILY_MISMATCH = 443;
export const ERROR_ALLOCATION_QUOTA_REACHED = 486;
export const ERROR_SERVER_ERROR = 500;
export const ERROR_INSUFFICIENT_CAPACITY = 508;

/** Reason phrases sent with each error code. */
export const ERROR_REASONS: Readonly<Record<number, string>> = {
  300: 'Try Alternate',
  400: 'Bad Request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  420: 'Unknown Attribute',
  437: 'Allocation Mismatch',
  438: 'Stale Nonce',
  440: 'Address Family not Supported',
  441: 'Wrong Credentials',
  442: 'Unsupported Transport Protocol',
  443: 'Peer Address Family Mismatch',
  486: 'Allocation Quota Reached',
  500: 'Server Error',
  508: 'Insufficient Capacity',
};

/** The STUN message type field: method bits interleaved with the two class bits (RFC 8489 §5). */
export function messageType(method: number, cls: StunClass): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((cls & 1) << 4) | ((cls & 2) << 7);
}

export function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

export function classOf(type: number): StunClass {
  return (((type >> 4) & 1) | ((type >> 7) & 2)) as StunClass;
}
