import type { Logger } from '@parley/runtime';

/**
 * Child loggers, made once per session or subsystem. Messages are static lower-case text; data
 * goes in fields. Nothing here logs per message.
 */
export function sessionLogger(root: Logger, peerId: string, userId: string): Logger {
  return root.child({ peerId, userId });
}

export function componentLogger(root: Logger, component: string): Logger {
  return root.child({ component });
}

/** A URL fit for logs: scheme, host and path only (query strings and user info may hold credentials). */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
