import type { Metadata } from 'next';
import { loadForPage } from '../../admin-api/for-request';
import { formatUtc } from '../../format/format';
import { OverviewLive } from '../../ui/overview-live';
import { PageFailureBanner } from '../../ui/page-failure';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const load = await loadForPage(async (api) => {
    const [overview, history] = await Promise.all([api.overview(), api.history()]);
    return { overview, history };
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <div className="sub">
            {load.ok
              ? `Signal node ${load.data.overview.nodeId} · ${formatUtc(load.data.overview.timeMs)} · history every ${load.data.history.intervalSeconds} s`
              : 'The whole deployment at a glance'}
          </div>
        </div>
      </div>
      {load.ok ? <OverviewLive overview={load.data.overview} history={load.data.history.points} /> : <PageFailureBanner failure={load.failure} />}
    </>
  );
}
