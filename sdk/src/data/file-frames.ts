/**
 * The file-transfer wire format, spoken over one ordered, reliable data channel per transfer
 * (label `parley-file/<id>`):
 *
 *   sender → receiver   text   {"t":"file.offer","id","name","size","mime"}
 *   sender → receiver   binary chunk, chunk, ... (exactly `size` bytes in total)
 *   sender → receiver   text   {"t":"file.end","sha256":"<64 hex>"}
 *   receiver → sender   text   {"t":"file.result","ok":true} | {"t":"file.result","ok":false,"code":...}
 *
 * Frames come from another browser, so they are validated like any untrusted input.
 */
export const FILE_CHANNEL_PREFIX = 'parley-file/';

export const MAX_FILE_NAME_CHARS = 255;
export const MAX_MIME_CHARS = 128;

export interface FileOffer {
  t: 'file.offer';
  id: string;
  name: string;
  size: number;
  mime: string;
}
export interface FileEnd {
  t: 'file.end';
  sha256: string;
}
export type FileResultCode = 'FILE_TOO_LARGE' | 'FILE_TRUNCATED' | 'FILE_CORRUPTED' | 'FILE_PROTOCOL';
export type FileResult = { t: 'file.result'; ok: true } | { t: 'file.result'; ok: false; code: FileResultCode };
export type FileFrame = FileOffer | FileEnd | FileResult;

const RESULT_CODES: ReadonlySet<string> = new Set<FileResultCode>(['FILE_TOO_LARGE', 'FILE_TRUNCATED', 'FILE_CORRUPTED', 'FILE_PROTOCOL']);
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TRANSFER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Decodes a text frame; null when it is not a well-formed file frame. */
export function decodeFileFrame(text: string): FileFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const frame = value as Record<string, unknown>;
  switch (frame.t) {
    case 'file.offer': {
      const { id, name, size, mime } = frame;
      if (typeof id !== 'string' || !TRANSFER_ID.test(id)) return null;
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_FILE_NAME_CHARS) return null;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
      if (typeof mime !== 'string' || mime.length > MAX_MIME_CHARS) return null;
      return { t: 'file.offer', id, name, size, mime };
    }
    case 'file.end':
      return typeof frame.sha256 === 'string' && SHA256_HEX.test(frame.sha256) ? { t: 'file.end', sha256: frame.sha256 } : null;
    case 'file.result':
      if (frame.ok === true) return { t: 'file.result', ok: true };
      if (frame.ok === false && typeof frame.code === 'string' && RESULT_CODES.has(frame.code)) {
        return { t: 'file.result', ok: false, code: frame.code as FileResultCode };
      }
      return null;
    default:
      return null;
  }
}

export function encodeFileFrame(frame: FileFrame): string {
  return JSON.stringify(frame);
}
