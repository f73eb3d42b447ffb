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
