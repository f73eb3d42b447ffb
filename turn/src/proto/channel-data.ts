/**
 * ChannelData messages (RFC 8656 §12.4): a 4-byte header (channel number, length) and the
 * application data, padded to 4 bytes on stream transports.
 */
export const CHANNEL_DATA_HEADER_BYTES = 4;
/** §12: "Channel numbers 0x4000 through 0x4FFF" may be bound. */
export const CHANNEL_NUMBER_MIN = 0x4000;
export const CHANNEL_NUMBER_MAX = 0x4fff;
/** RFC 5766 §11 allowed up to 0x7FFF; RFC 8656 reserved 0x5000+ for DTLS-SRTP demultiplexing. */
export const CHANNEL_NUMBER_MAX_RFC5766 = 0x7fff;

export function isValidChannelNumber(channel: number, allowRfc5766Range = false): boolean {
  return channel >= CHANNEL_NUMBER_MIN && channel <= (allowRfc5766Range ? CHANNEL_NUMBER_MAX_RFC5766 : CHANNEL_NUMBER_MAX);
}

/** True when the first byte starts a ChannelData message (top two bits 01: §12, §18). */
export function isChannelData(bytes: Uint8Array): boolean {
  return bytes.length > 0 && (bytes[0]! & 0xc0) === 0x40;
}

/**
 * Channel number of a ChannelData datagram whose length field fits in the bytes given, else -1.
 * §12.5: over UDP "the padding is not required"; bytes beyond the length (padding) are ignored.
 */
export function channelDataChannel(bytes: Uint8Array): number {
  if (bytes.length < CHANNEL_DATA_HEADER_BYTES) return -1;
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (CHANNEL_DATA_HEADER_BYTES + length > bytes.length) return -1;
  return (bytes[0]! << 8) | bytes[1]!;
}

/** The application data length announced by a ChannelData header. */
export function channelDataLength(bytes: Uint8Array): number {
  return (bytes[2]! << 8) | bytes[3]!;
}

/** Writes a ChannelData header at `offset` of `into`. */
export function writeChannelDataHeader(into: Uint8Array, offset: number, channel: number, length: number): void {
  into[offset] = channel >> 8;
  into[offset + 1] = channel & 0xff;
  into[offset + 2] = length >> 8;
  into[offset + 3] = length & 0xff;
}

/** Encodes a whole ChannelData message (one allocation; for clients and tests, not the relay path). */
export function encodeChannelData(channel: number, data: Uint8Array, padToFour = false): Buffer {
  const total = CHANNEL_DATA_HEADER_BYTES + (padToFour ? (data.length + 3) & ~3 : data.length);
  const out = Buffer.alloc(total);
  writeChannelDataHeader(out, 0, channel, data.length);
  out.set(data, CHANNEL_DATA_HEADER_BYTES);
  return out;
}

/** Decodes a ChannelData message; null when too short or the length overruns. */
export function decodeChannelData(bytes: Uint8Array): { channel: number; data: Uint8Array } | null {
  if (!isChannelData(bytes)) return null;
  const channel = channelDataChannel(bytes);
  if (channel < 0) return null;
  return { channel, data: bytes.subarray(CHANNEL_DATA_HEADER_BYTES, CHANNEL_DATA_HEADER_BYTES + channelDataLength(bytes)) };
}
