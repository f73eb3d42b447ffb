import { ParleyError } from '../errors.js';
import { decodeFileFrame, encodeFileFrame, type FileOffer, type FileResultCode } from './file-frames.js';
import { IncomingFile } from './incoming-file.js';
import { Sha256, toHex } from './sha256.js';

/**
 * Moving one file over one RTCDataChannel, with backpressure: the sender stops writing while more
 * than `highWaterBytes` wait in the channel's buffer and resumes on `bufferedamountlow`, so a
 * large file never piles up in memory or overflows the SCTP send queue (which would close the
 * channel).
 */
export interface FileSendOptions {
  /** Bytes per message; capped by the connection's SCTP max message size. */
  chunkBytes?: number;
  /** Pause writing above this many buffered bytes. */
  highWaterBytes?: number;
  /** Resume writing below this many buffered bytes (sets bufferedAmountLowThreshold). */
  lowWaterBytes?: number;
  /** Bytes read from the Blob at once. */
  readBytes?: number;
  onProgress?: (progress: FileProgress) => void;
}

export interface FileProgress {
  transferId: string;
  name: string;
  /** Sent: bytes that left the buffer. Received: bytes that arrived. */
  bytes: number;
  totalBytes: number;
}

export interface FileSendResult {
  transferId: string;
  name: string;
  sizeBytes: number;
  sha256: string;
}

export interface ReceivedFile {
  transferId: string;
  name: string;
  mime: string;
  sizeBytes: number;
  sha256: string;
  data: Blob;
}

export const DEFAULT_FILE_OPTIONS = {
  chunkBytes: 64 * 1024,
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  readBytes: 1024 * 1024,
  maxFileBytes: 512 * 1024 * 1024,
} as const;

/** The channel methods file transfer uses (an RTCDataChannel, or a test double of one). */
export type FileChannel = Pick<RTCDataChannel, 'send' | 'close' | 'readyState' | 'bufferedAmount' | 'bufferedAmountLowThreshold' | 'binaryType' | 'label'> &
  Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export async function sendFileOverChannel(channel: FileChannel, transferId: string, file: Blob, name: string, options: FileSendOptions = {}): Promise<FileSendResult> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_FILE_OPTIONS.chunkBytes;
  const highWaterBytes = options.highWaterBytes ?? DEFAULT_FILE_OPTIONS.highWaterBytes;
  const readBytes = Math.max(chunkBytes, options.readBytes ?? DEFAULT_FILE_OPTIONS.readBytes);
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = options.lowWaterBytes ?? DEFAULT_FILE_OPTIONS.lowWaterBytes;
  const watch = watchChannel(channel);
  try {
    await watch.opened;
    const offer: FileOffer = { t: 'file.offer', id: transferId, name, size: file.size, mime: file.type };
    channel.send(encodeFileFrame(offer));
    const hash = new Sha256();
    let queuedBytes = 0;
    const report = () => options.onProgress?.({ transferId, name, bytes: queuedBytes - channel.bufferedAmount, totalBytes: file.size });
    for (let offset = 0; offset < file.size; offset += readBytes) {
      const block = new Uint8Array(await file.slice(offset, offset + readBytes).arrayBuffer());
      for (let at = 0; at < block.length; at += chunkBytes) {
        const chunk = block.subarray(at, at + chunkBytes);
        while (channel.bufferedAmount > highWaterBytes) await watch.drained();
        watch.throwIfFailed();
        channel.send(chunk);
        hash.update(chunk);
        queuedBytes += chunk.length;
      }
      report();
    }
    const sha256 = toHex(hash.digest());
    channel.send(encodeFileFrame({ t: 'file.end', sha256 }));
    const result = await watch.result;
    options.onProgress?.({ transferId, name, bytes: file.size, totalBytes: file.size });
    if (!result.ok) throw new ParleyError(result.code, `the receiver refused ${name}: ${result.code}`);
    return { transferId, name, sizeBytes: file.size, sha256 };
  } finally {
    watch.dispose();
    channel.close();
  }
}

/** Listens to a sender's channel: open, drained, the receiver's verdict, or an early close. */
function watchChannel(channel: FileChannel) {
  let failure: ParleyError | null = null;
  let wake: (() => void) | null = null;
  let settleResult!: (result: { ok: true } | { ok: false; code: FileResultCode }) => void;
  let failResult!: (error: ParleyError) => void;
  const result = new Promise<{ ok: true } | { ok: false; code: FileResultCode }>((resolve, reject) => {
    settleResult = resolve;
    failResult = reject;
  });
  result.catch(() => undefined);
  let markOpen!: () => void;
  let failOpen!: (error: ParleyError) => void;
  const opened = new Promise<void>((resolve, reject) => {
    markOpen = resolve;
    failOpen = reject;
  });
  opened.catch(() => undefined);
  if (channel.readyState === 'open') markOpen();

  const onOpen = () => markOpen();
  const onLow = () => wake?.();
  const onMessage = (event: Event) => {
    const data = (event as MessageEvent).data;
    const frame = typeof data === 'string' ? decodeFileFrame(data) : null;
    if (frame?.t === 'file.result') settleResult(frame.ok ? { ok: true } : { ok: false, code: frame.code });
  };
  const onClose = () => {
    failure = new ParleyError('PEER_UNAVAILABLE', 'the file channel closed before the receiver confirmed');
    failOpen(failure);
    failResult(failure);
    wake?.();
  };
  channel.addEventListener('open', onOpen);
  channel.addEventListener('bufferedamountlow', onLow);
  channel.addEventListener('message', onMessage);
  channel.addEventListener('close', onClose);
  return {
    opened,
    result,
    drained(): Promise<void> {
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve) => {
        wake = () => {
          wake = null;
          resolve();
        };
      });
    },
    throwIfFailed(): void {
      if (failure) throw failure;
    },
    dispose(): void {
      channel.removeEventListener('open', onOpen);
      channel.removeEventListener('bufferedamountlow', onLow);
      channel.removeEventListener('message', onMessage);
      channel.removeEventListener('close', onClose);
    },
  };
}

export interface FileReceiveOptions {
  maxFileBytes?: number;
  onOffer?: (offer: { transferId: string; name: string; mime: string; sizeBytes: number }) => void;
  onProgress?: (progress: FileProgress) => void;
}

/** Receives the one file a `parley-file/*` channel carries; rejects with FILE_* codes. */
export function receiveFileFromChannel(channel: FileChannel, options: FileReceiveOptions = {}): Promise<ReceivedFile> {
  channel.binaryType = 'arraybuffer';
  const incoming = new IncomingFile(options.maxFileBytes ?? DEFAULT_FILE_OPTIONS.maxFileBytes);
  // Progress events at most every 1% so a large file does not flood the app.
  let reportedBytes = 0;
  return new Promise<ReceivedFile>((resolve, reject) => {
    const finish = () => {
      channel.removeEventListener('message', onMessage);
      channel.removeEventListener('close', onClose);
    };
    const fail = (code: FileResultCode, detail: string) => {
      finish();
      // Tell the sender why, so its sendFile() rejects with the same code.
      if (channel.readyState === 'open') channel.send(encodeFileFrame({ t: 'file.result', ok: false, code }));
      reject(new ParleyError(code, detail));
    };
    const onMessage = (event: Event) => {
      const data = (event as MessageEvent).data;
      const step = typeof data === 'string' ? incoming.onText(data) : incoming.onBinary(new Uint8Array(data as ArrayBuffer));
      switch (step.kind) {
        case 'offer':
          options.onOffer?.({ transferId: step.offer.id, name: step.offer.name, mime: step.offer.mime, sizeBytes: step.offer.size });
          return;
        case 'progress':
          if (step.receivedBytes - reportedBytes >= step.totalBytes / 100 || step.receivedBytes === step.totalBytes) {
            reportedBytes = step.receivedBytes;
            options.onProgress?.({ transferId: incoming.offer!.id, name: incoming.offer!.name, bytes: step.receivedBytes, totalBytes: step.totalBytes });
          }
          return;
        case 'complete':
          finish();
          channel.send(encodeFileFrame({ t: 'file.result', ok: true }));
          resolve({ transferId: step.offer.id, name: step.offer.name, mime: step.offer.mime, sizeBytes: step.offer.size, sha256: step.sha256, data: step.data });
          return;
        case 'failed':
          fail(step.code, step.detail);
          return;
        case 'none':
          return;
      }
    };
    const onClose = () => {
      const step = incoming.onClose();
      if (step.kind === 'failed') fail(step.code, step.detail);
    };
    channel.addEventListener('message', onMessage);
    channel.addEventListener('close', onClose);
  });
}
