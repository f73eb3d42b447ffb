import { describe, expect, it } from 'vitest';
import { decodeFileFrame, encodeFileFrame, MAX_FILE_NAME_CHARS } from './file-frames.js';

describe('file frames', () => {
  it('round-trips every frame type', () => {
    const frames = [
      { t: 'file.offer', id: 'abc_-1', name: 'report.pdf', size: 12, mime: 'application/pdf' },
      { t: 'file.end', sha256: 'a'.repeat(64) },
      { t: 'file.result', ok: true },
      { t: 'file.result', ok: false, code: 'FILE_CORRUPTED' },
    ] as const;
    for (const frame of frames) expect(decodeFileFrame(encodeFileFrame(frame))).toEqual(frame);
  });

  it('drops unknown fields instead of passing them on', () => {
    expect(decodeFileFrame('{"t":"file.end","sha256":"' + '0'.repeat(64) + '","extra":1}')).toEqual({ t: 'file.end', sha256: '0'.repeat(64) });
  });

  it('rejects out-of-bounds or mistyped fields from the other browser', () => {
    const bad = [
      { t: 'file.offer', id: 'x', name: '', size: 1, mime: '' },
      { t: 'file.offer', id: 'x', name: 'n'.repeat(MAX_FILE_NAME_CHARS + 1), size: 1, mime: '' },
      { t: 'file.offer', id: 'x', name: 'a', size: -1, mime: '' },
      { t: 'file.offer', id: 'x', name: 'a', size: 1.5, mime: '' },
      { t: 'file.offer', id: 'x', name: 'a', size: 2 ** 60, mime: '' },
      { t: 'file.offer', id: 'has space', name: 'a', size: 1, mime: '' },
      { t: 'file.end', sha256: 'XYZ' },
      { t: 'file.result', ok: false, code: 'SOMETHING_ELSE' },
      { t: 'file.unknown' },
      [1, 2],
    ];
    for (const frame of bad) expect(decodeFileFrame(JSON.stringify(frame))).toBeNull();
  });
});
