'use client';

import { useActionState } from 'react';
import { login, type LoginState } from './actions';

export function LoginForm({ initialCode, explanations }: { initialCode?: string; explanations: Record<string, string> }) {
  const [state, action, pending] = useActionState<LoginState, FormData>(login, { code: initialCode });
  return (
    <form action={action}>
      <label htmlFor="token">
        <strong>Admin token</strong>
      </label>
      <p>A JWT with the admin grant, e.g. from <code>parley token --user you --admin</code>.</p>
      <textarea id="token" name="token" rows={6} required autoComplete="off" spellCheck={false} data-testid="login-token" />
      <div style={{ marginTop: 12 }}>
        <button className="btn primary" type="submit" disabled={pending} data-testid="login-submit">
          {pending ? 'Checking…' : 'Log in'}
        </button>
      </div>
      {state.code ? (
        <div className="alert" role="alert" data-testid="login-error" data-code={state.code}>
          <strong>{state.code}</strong> — {explanations[state.code] ?? 'Login failed.'}
        </div>
      ) : null}
    </form>
  );
}
