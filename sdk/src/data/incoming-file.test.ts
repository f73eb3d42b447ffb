import { describe, expect, it } from 'vitest';
import { encodeFileFrame } from './file-frames.js';
import { IncomingFile } from './incoming-file.js';
import { sha256Hex } from './sha256.js';

const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
const offer = (size = bytes.length) => encodeFileFrame({ t: 'file.offer', id: 't1', name: 'a.bin', size, mime: 'application/octet-stream' });
const end = (sha256 = sha256Hex(bytes)) => encodeFileFrame({ t: 'file.end', sha256 });

function feed(file: IncomingFile, data: Uint8Array, chunk = 300) {
  for (let at = 0; at < data.length; at += chunk) file.onBinary(data.subarray(at, at + chunk));
}

describe('IncomingFile', () => {
  it('delivers the file when the byte count and SHA-256 match', async () => {
    const file = new IncomingFile(10_000);
    expect(file.onText(offer()).kind).toBe('offer');
    feed(file, bytes);
    const step = file.onText(end());
    expect(step.kind).toBe('complete');
    if (step.kind !== 'complete') return;
    expect(step.sha256).toBe(sha256Hex(bytes));
    expect(new Uint8Array(await step.data.arrayBuffer())).toEqual(bytes);
  });

  it('reports FILE_CORRUPTED, never a file, when one byte changed on the way', () => {
    const file = new IncomingFile(10_000);
    file.onText(offer());
    const tampered = bytes.slice();
    tampered[500]! ^= 0x01;
    feed(file, tampered);
    expect(file.onText(end())).toMatchObject({ kind: 'failed', code: 'FILE_CORRUPTED' });
  });

  it('reports FILE_TRUNCATED when the end arrives before all announced bytes', () => {
    const file = new IncomingFile(10_000);
    file.onText(offer());
    feed(file, bytes.subarray(0, 999));
    expect(file.onText(end())).toMatchObject({ kind: 'failed', code: 'FILE_TRUNCATED' });
  });

  it('reports FILE_TRUNCATED when the channel closes mid-transfer', () => {
    const file = new IncomingFile(10_000);
    file.onText(offer());
    feed(file, bytes.subarray(0, 400));
    expect(file.onClose()).toMatchObject({ kind: 'failed', code: 'FILE_TRUNCATED' });
  });

  it('refuses more bytes than announced', () => {
    const file = new IncomingFile(10_000);
    file.onText(offer(10));
    expect(file.onBinary(bytes.subarray(0, 11))).toMatchObject({ kind: 'failed', code: 'FILE_CORRUPTED' });
  });

  it('refuses an offer above the size limit before any byte is stored', () => {
    const file = new IncomingFile(999);
    expect(file.onText(offer(1000))).toMatchObject({ kind: 'failed', code: 'FILE_TOO_LARGE' });
    expect(file.onBinary(bytes)).toEqual({ kind: 'none' });
  });

  it('reports FILE_PROTOCOL for bytes before the offer, a second offer, or garbage', () => {
    expect(new IncomingFile(10).onBinary(bytes)).toMatchObject({ kind: 'failed', code: 'FILE_PROTOCOL' });
    const twice = new IncomingFile(10_000);
    twice.onText(offer());
    expect(twice.onText(offer())).toMatchObject({ kind: 'failed', code: 'FILE_PROTOCOL' });
    expect(new IncomingFile(10).onText('{"t":"file.offer","id":"../../x","name":"a","size":1,"mime":""}')).toMatchObject({ code: 'FILE_PROTOCOL' });
    expect(new IncomingFile(10).onText('not json')).toMatchObject({ code: 'FILE_PROTOCOL' });
  });

  it('ignores everything after it has finished', () => {
    const file = new IncomingFile(10_000);
    file.onText(offer());
    feed(file, bytes);
    file.onText(end());
    expect(file.onBinary(bytes)).toEqual({ kind: 'none' });
    expect(file.onClose()).toEqual({ kind: 'none' });
  });
});
