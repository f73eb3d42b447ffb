import { decodeFileFrame, type FileOffer, type FileResultCode } from './file-frames.js';
import { Sha256, toHex } from './sha256.js';

/**
 * The receiving side of one transfer, without the channel: frames in, outcomes out. Bytes are
 * hashed as they arrive; the file is handed over only when the byte count and the SHA-256 both
 * match what the sender announced. A short, long, corrupted or out-of-order transfer ends in a
 * failure with its code, never in a file.
 */
export type IncomingStep =
  | { kind: 'offer'; offer: FileOffer }
  | { kind: 'progress'; receivedBytes: number; totalBytes: number }
  | { kind: 'complete'; offer: FileOffer; data: Blob; sha256: string }
  | { kind: 'failed'; code: FileResultCode; detail: string }
  | { kind: 'none' };

export class IncomingFile {
  #offer: FileOffer | null = null;
  #parts: Uint8Array[] = [];
  #receivedBytes = 0;
  #hash = new Sha256();
  #done = false;

  constructor(private readonly maxFileBytes: number) {}

  get offer(): FileOffer | null {
    return this.#offer;
  }

  get done(): boolean {
    return this.#done;
  }

  onText(text: string): IncomingStep {
    if (this.#done) return { kind: 'none' };
    const frame = decodeFileFrame(text);
    if (!frame) return this.#fail('FILE_PROTOCOL', 'malformed frame');
    if (frame.t === 'file.offer') {
      if (this.#offer) return this.#fail('FILE_PROTOCOL', 'second offer on one channel');
      if (frame.size > this.maxFileBytes) return this.#fail('FILE_TOO_LARGE', `${frame.size} bytes offered, at most ${this.maxFileBytes} accepted`);
      this.#offer = frame;
      return { kind: 'offer', offer: frame };
    }
    if (frame.t === 'file.end') {
      const offer = this.#offer;
      if (!offer) return this.#fail('FILE_PROTOCOL', 'end before offer');
      if (this.#receivedBytes < offer.size) return this.#fail('FILE_TRUNCATED', `${this.#receivedBytes} of ${offer.size} bytes arrived`);
      const sha256 = toHex(this.#hash.digest());
      if (sha256 !== frame.sha256) return this.#fail('FILE_CORRUPTED', 'SHA-256 mismatch');
      this.#done = true;
      const data = new Blob(this.#parts as BlobPart[], { type: offer.mime });
      this.#parts = [];
      return { kind: 'complete', offer, data, sha256 };
    }
    return this.#fail('FILE_PROTOCOL', `unexpected ${frame.t}`);
  }

  onBinary(chunk: Uint8Array): IncomingStep {
    if (this.#done) return { kind: 'none' };
    const offer = this.#offer;
    if (!offer) return this.#fail('FILE_PROTOCOL', 'bytes before offer');
    if (this.#receivedBytes + chunk.length > offer.size) return this.#fail('FILE_CORRUPTED', 'more bytes than announced');
    this.#receivedBytes += chunk.length;
    this.#hash.update(chunk);
    this.#parts.push(chunk);
    return { kind: 'progress', receivedBytes: this.#receivedBytes, totalBytes: offer.size };
  }

  /** The channel closed: anything unfinished is a truncated transfer. */
  onClose(): IncomingStep {
    if (this.#done) return { kind: 'none' };
    const offer = this.#offer;
    return this.#fail('FILE_TRUNCATED', offer ? `channel closed after ${this.#receivedBytes} of ${offer.size} bytes` : 'channel closed before the offer');
  }

  #fail(code: FileResultCode, detail: string): IncomingStep {
    this.#done = true;
    this.#parts = [];
    return { kind: 'failed', code, detail };
  }
}
