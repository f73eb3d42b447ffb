import type { ActionResult } from '../admin-api/for-request';

/** The outcome of an admin action: a confirmation, or the server's refusal with its code. */
export function ActionOutcome({ state, testId }: { state: ActionResult | null; testId: string }) {
  if (state === null) return null;
  if (state.ok) {
    return (
      <div className="notice" style={{ marginTop: 10 }} data-testid={testId} data-outcome="ok">
        {state.done}
      </div>
    );
  }
  return (
    <div className="alert" role="alert" data-testid={testId} data-outcome="refused" data-code={state.code}>
      Refused: <strong>{state.code}</strong>
    </div>
  );
}
