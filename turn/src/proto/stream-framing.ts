import { HEADER_BYTES } from '../stun/constants.js';
import { CHANNEL_DATA_HEADER_BYTES } from './channel-data.js';

/**
 * Cutting STUN messages and ChannelData messages out of a TCP or TLS byte stream
 * (RFC 8656 §12.5: "over TCP and TLS-over-TCP, the ChannelData message MUST be padded to a
 * multiple of four bytes"; a STUN message carries its own length).
 */

/** Bytes of the frame starting at `offset`; 0 when fewer than 4 bytes are there; -1 when the bytes start neither kind. */
export function nextFrameBytes(bytes: Uint8Array, offset: number): number {
  if (bytes.length - offset < 4) return 0;
  const first = bytes[offset]! & 0xc0;
  const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  if (first === 0x00) return HEADER_BYTES + length;
  if (first === 0x40) return CHANNEL_DATA_HEADER_BYTES + ((length + 3) & ~3);
  return -1;
}

export type FrameSink = (frame: Buffer) => void;

/**
 * Turns chunks of a stream into whole frames. Frames that arrive whole inside a chunk are handed
 * out as views (no copy); only a frame split across chunks is assembled in a buffer.
 * `push` returns false when the stream carries bytes that are no frame at all, or a frame over
 * `maxFrameBytes`: the caller closes the connection.
 */
export class StreamDeframer {
  private pending: Buffer | null = null;
  private pendingFilled = 0;
  private readonly header = Buffer.alloc(4);
  private headerFilled = 0;

  constructor(
    private readonly onFrame: FrameSink,
    private readonly maxFrameBytes: number,
  ) {}

  push(chunk: Buffer): boolean {
    let offset = 0;
    // Finish a frame started in an earlier chunk.
    if (this.headerFilled > 0 || this.pending) {
      if (!this.pending) {
        const need = 4 - this.headerFilled;
        const take = Math.min(need, chunk.length);
        chunk.copy(this.header, this.headerFilled, 0, take);
        this.headerFilled += take;
        offset = take;
        if (this.headerFilled < 4) return true;
        const frameBytes = nextFrameBytes(this.header, 0);
        if (frameBytes < 0 || frameBytes > this.maxFrameBytes) return false;
        this.pending = Buffer.allocUnsafe(frameBytes);
        this.header.copy(this.pending, 0);
        this.pendingFilled = 4;
        this.headerFilled = 0;
      }
      const pending = this.pending;
      const take = Math.min(pending.length - this.pendingFilled, chunk.length - offset);
      chunk.copy(pending, this.pendingFilled, offset, offset + take);
      this.pendingFilled += take;
      offset += take;
      if (this.pendingFilled < pending.length) return true;
      this.pending = null;
      this.pendingFilled = 0;
      this.onFrame(pending);
    }
    while (offset < chunk.length) {
      const frameBytes = nextFrameBytes(chunk, offset);
      if (frameBytes === 0) {
        chunk.copy(this.header, 0, offset);
        this.headerFilled = chunk.length - offset;
        return true;
      }
      if (frameBytes < 0 || frameBytes > this.maxFrameBytes) return false;
      if (offset + frameBytes > chunk.length) {
        this.pending = Buffer.allocUnsafe(frameBytes);
        chunk.copy(this.pending, 0, offset);
        this.pendingFilled = chunk.length - offset;
        return true;
      }
      this.onFrame(chunk.subarray(offset, offset + frameBytes));
      offset += frameBytes;
    }
    return true;
  }

  /** Bytes held for an unfinished frame (bounded by maxFrameBytes). */
  get bufferedBytes(): number {
    return this.pendingFilled + this.headerFilled;
  }
}
