/**
 * The client side of RFC 6455 framing, as little of it as a load generator needs: encode masked
 * text/pong/close frames, decode the server's unmasked frames from a byte stream. No extensions
 * (the handshake offers none), so RSV bits must be zero.
 */
export const OPCODE_CONTINUATION = 0x0;
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

/**
 * RFC 6455 §5.3: "The masking key is a 32-bit value chosen at random by the client." The mask
 * protects intermediaries from payloads crafted by hostile browser scripts; a load generator that
 * writes its own payloads to loopback has nothing to protect, so it sends the all-zero key, which
 * makes masking the identity and spares an XOR pass over every byte it sends. Servers cannot tell
 * the difference and must (and do) accept it.
 */
const MASK_BYTES = 4;

/** The header length of a masked client frame carrying `payloadBytes`. */
function clientHeaderBytes(payloadBytes: number): number {
  if (payloadBytes < 126) return 2 + MASK_BYTES;
  if (payloadBytes < 65_536) return 4 + MASK_BYTES;
  return 10 + MASK_BYTES;
}

/** Writes a final, masked (zero key) frame header into `target` at `offset`; returns the header length. */
function writeClientHeader(target: Buffer, offset: number, opcode: number, payloadBytes: number): number {
  target[offset] = 0x80 | opcode; // FIN + opcode
  let position = offset + 1;
  if (payloadBytes < 126) {
    target[position++] = 0x80 | payloadBytes;
  } else if (payloadBytes < 65_536) {
    target[position++] = 0x80 | 126;
    target.writeUInt16BE(payloadBytes, position);
    position += 2;
  } else {
    target[position++] = 0x80 | 127;
    target.writeUInt32BE(Math.floor(payloadBytes / 2 ** 32), position);
    target.writeUInt32BE(payloadBytes >>> 0, position + 4);
    position += 8;
  }
  target.writeUInt32BE(0, position); // the masking key
  return position + MASK_BYTES - offset;
}

/** One complete client frame carrying a UTF-8 text message. */
export function encodeTextFrame(text: string): Buffer {
  const payloadBytes = Buffer.byteLength(text);
  const headerBytes = clientHeaderBytes(payloadBytes);
  const frame = Buffer.allocUnsafe(headerBytes + payloadBytes);
  writeClientHeader(frame, 0, OPCODE_TEXT, payloadBytes);
  frame.write(text, headerBytes, payloadBytes, 'utf8');
  return frame;
}

/** One complete client control or data frame carrying `payload` as is. */
export function encodeFrame(opcode: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const headerBytes = clientHeaderBytes(payload.length);
  const frame = Buffer.allocUnsafe(headerBytes + payload.length);
  writeClientHeader(frame, 0, opcode, payload.length);
  frame.set(payload, headerBytes);
  return frame;
}

export function encodeCloseFrame(code: number, reason = ''): Buffer {
  const reasonBytes = Buffer.from(reason, 'utf8').subarray(0, 123);
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  reasonBytes.copy(payload, 2);
  return encodeFrame(OPCODE_CLOSE, payload);
}

export interface FrameSink {
  /** A complete message (fragments joined). `payload` is a view that is valid only during the call. */
  onMessage(opcode: number, payload: Buffer): void;
  onControl(opcode: number, payload: Buffer): void;
  onProtocolError(reason: string): void;
}

/** Upper bound on one message, so a misbehaving server cannot make the generator buffer without limit. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Decodes server frames from TCP chunks. Frames that arrive whole are handed on as views of the
 * chunk, without copying; only a frame split across chunks is copied, once.
 */
export class FrameReader {
  private pending: Buffer | null = null;
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private failed = false;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    let data = chunk;
    if (this.pending !== null) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let offset = 0;
    const length = data.length;
    while (offset < length) {
      if (length - offset < 2) break;
      const first = data[offset]!;
      const second = data[offset + 1]!;
      if ((first & 0x70) !== 0) return void this.fail('RSV bits set without a negotiated extension');
      // RFC 6455 §5.1: "A server MUST NOT mask any frames that it sends to the client."
      if ((second & 0x80) !== 0) return void this.fail('the server sent a masked frame');
      let payloadBytes = second & 0x7f;
      let headerBytes = 2;
      if (payloadBytes === 126) {
        if (length - offset < 4) break;
        payloadBytes = data.readUInt16BE(offset + 2);
        headerBytes = 4;
      } else if (payloadBytes === 127) {
        if (length - offset < 10) break;
        payloadBytes = data.readUInt32BE(offset + 2) * 2 ** 32 + data.readUInt32BE(offset + 6);
        headerBytes = 10;
      }
      if (payloadBytes > MAX_MESSAGE_BYTES) return void this.fail(`frame of ${payloadBytes} bytes exceeds the reader's limit`);
      const end = offset + headerBytes + payloadBytes;
      if (end > length) break;
      const payload = data.subarray(offset + headerBytes, end);
      offset = end;
      if (!this.frame((first & 0x80) !== 0, first & 0x0f, payload)) return;
    }
    if (offset < length) this.pending = Buffer.from(data.subarray(offset));
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): boolean {
    if (opcode >= 0x8) {
      // RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
      if (!fin || payload.length > 125) return this.fail('invalid control frame');
      this.sink.onControl(opcode, payload);
      return true;
    }
    if (opcode === OPCODE_CONTINUATION) {
      if (this.fragments.length === 0) return this.fail('continuation frame without a message to continue');
      this.fragments.push(Buffer.from(payload));
      if (fin) {
        const whole = Buffer.concat(this.fragments);
        this.fragments = [];
        this.sink.onMessage(this.fragmentOpcode, whole);
      }
      return true;
    }
    if (opcode !== OPCODE_TEXT && opcode !== OPCODE_BINARY) return this.fail(`unknown opcode ${opcode}`);
    if (this.fragments.length !== 0) return this.fail('new message before the fragmented one ended');
    if (fin) {
      this.sink.onMessage(opcode, payload);
    } else {
      this.fragmentOpcode = opcode;
      this.fragments.push(Buffer.from(payload));
    }
    return true;
  }

  private fail(reason: string): false {
    this.failed = true;
    this.pending = null;
    this.sink.onProtocolError(reason);
    return false;
  }
}
