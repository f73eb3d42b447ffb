/**
 * The two shapes a server → client frame takes on its way to a socket. Most frames are built as
 * JS strings (JSON.stringify); relayed frames (signal, broadcast, direct) are built as the UTF-8
 * bytes to send, spliced from the bytes the client sent, so the relay never decodes the opaque
 * value into UTF-16 and never encodes it back (uWS sends a Buffer as it is, and a string only
 * after encoding it to UTF-8).
 */
export type Frame = string | Buffer;

/**
 * UTF-8 bytes held in a JS string, one character per byte (what `buffer.toString('latin1')`
 * gives). A one-byte string is the cheapest copy of a frame V8 can make and scan (and the
 * scanners of this folder only look at ASCII structure, which reads the same in both forms); it
 * is turned back into the same bytes with `buffer.write(text, offset, 'latin1')`. Branded so it
 * is never mixed up with ordinary text, whose non-ASCII characters would be written wrongly.
 */
export type Utf8Bytes = string & { readonly __utf8Bytes: true };

/**
 * Node's own latin1 methods of Buffer, which `toString('latin1')` and `write(text, offset,
 * 'latin1')` dispatch to after looking the encoding up. Called directly on the relay path, where
 * that lookup cost about as much as the copy itself. On Buffer.prototype in every Node release,
 * but not declared by @types/node.
 */
interface Latin1Methods {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

function latin1(buffer: Buffer): Latin1Methods {
  return buffer as unknown as Latin1Methods;
}

/** The bytes of a frame as received (valid UTF-8: uWS closes a connection on a text frame that is not), as a byte string. */
export function byteString(frame: Buffer): Utf8Bytes {
  return latin1(frame).latin1Slice(0, frame.length) as Utf8Bytes;
}

/** The UTF-8 bytes of ordinary text, as a byte string. */
export function utf8Bytes(text: string): Utf8Bytes {
  return Buffer.from(text, 'utf8').toString('latin1') as Utf8Bytes;
}

/** Bytes a frame occupies on the wire (before WebSocket framing). */
export function frameByteLength(frame: Frame): number {
  return typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
}

/**
 * `head` (ASCII only: a JSON prefix whose variable parts are room names and peer ids, which
 * their patterns keep to ASCII), then the opaque value's bytes, then the closing brace.
 */
export function spliceFrame(head: string, value: Utf8Bytes): Buffer {
  const frame = Buffer.allocUnsafe(head.length + value.length + 1);
  const writer = latin1(frame);
  writer.latin1Write(head, 0, head.length);
  writer.latin1Write(value, head.length, value.length);
  frame[frame.length - 1] = 0x7d; // }
  return frame;
}

/** `head` (bytes already built, e.g. a sender's cached `signal` head), then the opaque value's bytes, then the closing brace. */
export function spliceAfterHead(head: Buffer, value: Utf8Bytes): Buffer {
  const frame = Buffer.allocUnsafe(head.length + value.length + 1);
  frame.set(head, 0);
  latin1(frame).latin1Write(value, head.length, value.length);
  frame[frame.length - 1] = 0x7d; // }
  return frame;
}

/**
 * ASCII text as bytes in a buffer of its own (not a slice of Node's shared 8 KiB pool, which a
 * long-lived small buffer would keep alive whole).
 */
export function ownedAsciiBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(text.length);
  latin1(bytes).latin1Write(text, 0, text.length);
  return bytes;
}
