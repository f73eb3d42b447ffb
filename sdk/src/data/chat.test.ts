import { describe, expect, it } from 'vitest';
import { decodeChat, encodeChat, MAX_CHAT_CHARS } from './chat.js';

describe('chat frames', () => {
  it('round-trips a chat message', () => {
    const frame = { t: 'chat', id: 'm1', text: 'hello 👋', sentAtMs: 1_700_000_000_000 } as const;
    expect(decodeChat(encodeChat(frame))).toEqual(frame);
  });

  it('rejects empty, oversized, mistyped or non-text frames', () => {
    expect(decodeChat(encodeChat({ t: 'chat', id: 'm', text: '', sentAtMs: 1 }))).toBeNull();
    expect(decodeChat(encodeChat({ t: 'chat', id: 'm', text: 'x'.repeat(MAX_CHAT_CHARS + 1), sentAtMs: 1 }))).toBeNull();
    expect(decodeChat('{"t":"chat","id":"m","text":5,"sentAtMs":1}')).toBeNull();
    expect(decodeChat('{"t":"file.end"}')).toBeNull();
    expect(decodeChat(new ArrayBuffer(4))).toBeNull();
    expect(decodeChat('{')).toBeNull();
  });
});
