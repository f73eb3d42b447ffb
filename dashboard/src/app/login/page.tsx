import { ERROR_CODES } from '@parley/protocol';
import type { Metadata } from 'next';
import { codeFromSearchParam, explainCode } from '../../ui/failure-text';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Log in' };

const SHOWN_CODES = [...ERROR_CODES, 'SIGNAL_UNREACHABLE', 'SIGNAL_TIMEOUT', 'INVALID_RESPONSE', 'SESSION_EXPIRED'];

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const code = codeFromSearchParam(params.error);
  const explanations = Object.fromEntries(SHOWN_CODES.map((known) => [known, explainCode(known)]));
  return (
    <main className="login">
      <div className="panel">
        <h1>Parley dashboard</h1>
        <p>Rooms, connection quality and relay usage of your signal servers and TURN relays.</p>
        {params.loggedOut ? (
          <div className="notice" data-testid="logged-out">
            You are logged out.
          </div>
        ) : null}
        <LoginForm initialCode={code} explanations={explanations} />
      </div>
    </main>
  );
}
