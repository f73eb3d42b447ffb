import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { receiveFileFromChannel, sendFileOverChannel, type FileChannel, type FileProgress } from './file-transfer.js';

/**
 * An in-memory pair of data channels with RTCDataChannel's buffering rules: `send` adds to
 * `bufferedAmount`, a pump delivers `drainBytesPerTick` bytes per macrotask to the other end,
 * and `bufferedamountlow` fires when the buffer falls to `bufferedAmountLowThreshold`. Lets the
 * tests watch the sender's backpressure, which real Chromium does not expose.
 */
class MemoryChannel extends EventTarget implements FileChannel {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'arraybuffer';
  label = 'parley-file/test';
  peer!: MemoryChannel;
  maxBufferedAmount = 0;
  tamper: ((data: Uint8Array, offset: number) => void) | null = null;
  #queue: Array<string | Uint8Array> = [];
  #deliveredBinaryBytes = 0;
  #pumping = false;

  constructor(private readonly drainBytesPerTick: number) {
    super();
  }

  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError: channel not open');
    const item = typeof data === 'string' ? data : new Uint8Array((data as ArrayBufferView).buffer.slice((data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteOffset + (data as ArrayBufferView).byteLength));
    this.bufferedAmount += typeof item === 'string' ? item.length : item.length;
    this.maxBufferedAmount = Math.max(this.maxBufferedAmount, this.bufferedAmount);
    this.#queue.push(item);
    this.#pump();
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.#queue = [];
    setTimeout(() => {
      this.dispatchEvent(new Event('close'));
      if (this.peer.readyState !== 'closed') {
        this.peer.readyState = 'closed';
        this.peer.dispatchEvent(new Event('close'));
      }
    }, 0);
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    const tick = () => {
      let budget = this.drainBytesPerTick;
      while (budget > 0 && this.#queue.length > 0 && this.readyState === 'open') {
        const item = this.#queue.shift()!;
        const size = typeof item === 'string' ? item.length : item.length;
        budget -= size;
        const before = this.bufferedAmount;
        this.bufferedAmount -= size;
        if (typeof item !== 'string') {
          this.tamper?.(item, this.#deliveredBinaryBytes);
          this.#deliveredBinaryBytes += item.length;
        }
        this.peer.dispatchEvent(new MessageEvent('message', { data: typeof item === 'string' ? item : item.buffer }));
        if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.dispatchEvent(new Event('bufferedamountlow'));
      }
      if (this.#queue.length > 0 && this.readyState === 'open') setTimeout(tick, 0);
      else this.#pumping = false;
    };
    setTimeout(tick, 0);
  }
}

function channelPair(drainBytesPerTick = 256 * 1024): [MemoryChannel, MemoryChannel] {
  const a = new MemoryChannel(drainBytesPerTick);
  const b = new MemoryChannel(drainBytesPerTick);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

function randomBytes(length: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 2654435761 + 12345) >>> 24;
  return data;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('file transfer over a data channel', () => {
  it('delivers a 3 MB file verified by SHA-256 and keeps the send buffer under the high-water mark', async () => {
    const [sender, receiver] = channelPair();
    const data = randomBytes(3 * 1024 * 1024);
    const receiverProgress: FileProgress[] = [];
    const senderProgress: FileProgress[] = [];
    const received = receiveFileFromChannel(receiver, { onProgress: (p) => receiverProgress.push(p) });
    const sent = await sendFileOverChannel(sender, 'tid', new Blob([data as BlobPart]), 'big.bin', {
      chunkBytes: 16 * 1024,
      highWaterBytes: 256 * 1024,
      lowWaterBytes: 64 * 1024,
      onProgress: (p) => senderProgress.push(p),
    });
    const file = await received;
    expect(sent.sha256).toBe(sha256(data));
    expect(file.sha256).toBe(sha256(data));
    expect(Buffer.from(await file.data.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    // Never more than one chunk above the mark: the sender waited for bufferedamountlow.
    expect(sender.maxBufferedAmount).toBeLessThanOrEqual(256 * 1024 + 16 * 1024 + 200);
    expect(receiverProgress.at(-1)).toMatchObject({ bytes: data.length, totalBytes: data.length });
    expect(senderProgress.at(-1)).toMatchObject({ bytes: data.length, totalBytes: data.length });
    expect(receiverProgress.length).toBeGreaterThan(10);
  });

  it('reports FILE_CORRUPTED on both sides when a byte is changed in flight', async () => {
    const [sender, receiver] = channelPair();
    sender.tamper = (chunk, offset) => {
      if (offset <= 100_000 && 100_000 < offset + chunk.length) chunk[100_000 - offset]! ^= 0xff;
    };
    const received = receiveFileFromChannel(receiver);
    const sent = sendFileOverChannel(sender, 'tid', new Blob([randomBytes(300_000) as BlobPart]), 'x.bin');
    await expect(received).rejects.toMatchObject({ code: 'FILE_CORRUPTED' });
    await expect(sent).rejects.toMatchObject({ code: 'FILE_CORRUPTED' });
  });

  it('reports FILE_TRUNCATED to the receiver when the channel closes mid-transfer', async () => {
    const [sender, receiver] = channelPair(8 * 1024);
    const received = receiveFileFromChannel(receiver);
    const sent = sendFileOverChannel(sender, 'tid', new Blob([randomBytes(1_000_000) as BlobPart]), 'x.bin', { chunkBytes: 16 * 1024 });
    receiver.addEventListener('message', () => sender.close(), { once: true });
    await expect(received).rejects.toMatchObject({ code: 'FILE_TRUNCATED' });
    await expect(sent).rejects.toMatchObject({ code: 'PEER_UNAVAILABLE' });
  });

  it('lets the receiver refuse a file above its limit, and the sender learns why', async () => {
    const [sender, receiver] = channelPair();
    const received = receiveFileFromChannel(receiver, { maxFileBytes: 1000 });
    const sent = sendFileOverChannel(sender, 'tid', new Blob([randomBytes(5000) as BlobPart]), 'x.bin');
    await expect(received).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    await expect(sent).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('sends an empty file', async () => {
    const [sender, receiver] = channelPair();
    const received = receiveFileFromChannel(receiver);
    await sendFileOverChannel(sender, 'tid', new Blob([]), 'empty.txt');
    const file = await received;
    expect(file.sizeBytes).toBe(0);
    expect(file.sha256).toBe(sha256(new Uint8Array(0)));
  });
});
