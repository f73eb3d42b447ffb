import type { PageFailure } from '../admin-api/for-request';
import { explainCode } from './failure-text';
import { FailureBanner } from './failure-banner';

export function PageFailureBanner({ failure }: { failure: PageFailure }) {
  return <FailureBanner kind={failure.kind} code={failure.code} explanation={explainCode(failure.code)} signalUrl={failure.signalUrl} />;
}
