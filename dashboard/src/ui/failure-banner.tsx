'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';

const RETRY_EVERY_SECONDS = 5;

/**
 * Shown instead of a page's content when the admin API could not serve it. Retries by itself
 * (a server re-render) every few seconds and on the button; the rest of the dashboard keeps working.
 */
export function FailureBanner({ kind, code, explanation, signalUrl }: { kind: string; code: string; explanation: string; signalUrl: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [secondsLeft, setSecondsLeft] = useState(RETRY_EVERY_SECONDS);
  const retry = () => startTransition(() => router.refresh());

  useEffect(() => {
    const timer = setInterval(() => {
      setSecondsLeft((left) => {
        if (left > 1) return left - 1;
        startTransition(() => router.refresh());
        return RETRY_EVERY_SECONDS;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [router]);

  const unreachable = kind === 'unreachable' || kind === 'invalid-response';
  return (
    <div className={unreachable ? 'banner' : 'banner error'} role="alert" data-testid="failure-banner" data-code={code} data-kind={kind}>
      <div>
        <strong>{unreachable ? `Signal server unreachable (${code})` : `The admin API refused this request (${code})`}</strong>
        <span>{explanation}</span>
        <div className="mono" style={{ marginTop: 4 }}>
          {signalUrl}
        </div>
      </div>
      <div>
        <button className="btn" type="button" onClick={retry} disabled={pending} data-testid="failure-retry">
          {pending ? 'Retrying…' : `Retry now (auto in ${secondsLeft} s)`}
        </button>
      </div>
    </div>
  );
}
