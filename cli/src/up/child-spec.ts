/**
 * One process of `parley up`. The list of these (children.ts) is the whole topology of the
 * embedded default: adding the TURN relay or the dashboard is one more entry.
 */
export interface ChildSpec {
  /** Short name used as the log prefix. */
  name: string;
  command: string;
  args: string[];
  /** Complete environment of the child. */
  env: NodeJS.ProcessEnv;
  /** GET this until it answers 2xx before starting the next child. */
  readinessUrl: string;
  /** Lines printed in the banner once everything is ready. */
  banner?: string[];
}
