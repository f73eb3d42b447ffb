/**
 * Chat messages, sent peer to peer on each connection's `parley-chat` data channel (ordered,
 * reliable), so chat keeps flowing while the signaling socket reconnects. Text from another
 * browser is untrusted: bounded and validated before it reaches the app.
 */
export const CHAT_CHANNEL_LABEL = 'parley-chat';
export const MAX_CHAT_CHARS = 4000;

export interface ChatFrame {
  t: 'chat';
  /** Unique per sender, for de-duplication and acknowledgement in apps. */
  id: string;
  text: string;
  /** Sender's clock, Unix epoch milliseconds. */
  sentAtMs: number;
}

export function encodeChat(frame: ChatFrame): string {
  return JSON.stringify(frame);
}

export function decodeChat(data: unknown): ChatFrame | null {
  if (typeof data !== 'string' || data.length > MAX_CHAT_CHARS * 6 + 200) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { t, id, text, sentAtMs } = value as Record<string, unknown>;
  if (t !== 'chat' || typeof id !== 'string' || id.length > 64) return null;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CHAT_CHARS) return null;
  if (typeof sentAtMs !== 'number' || !Number.isFinite(sentAtMs)) return null;
  return { t, id, text, sentAtMs };
}
