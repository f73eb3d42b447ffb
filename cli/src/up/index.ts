/**
 * up/ — `parley up`: the list of child processes of the embedded default (children.ts) and the
 * supervisor that starts them in order, waits for each readiness URL, and stops them all.
 * Rule: adding a process is one more ChildSpec in children.ts; nothing else changes.
 */
export * from './child-spec.js';
export * from './children.js';
export * from './supervisor.js';
