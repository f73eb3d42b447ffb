import type { Metadata } from 'next';
import { loadForPage } from '../../../admin-api/for-request';
import { formatAgo, formatCount, formatDuration, formatUtc } from '../../../format/format';
import { dashboardRuntime } from '../../../runtime/dashboard-runtime';
import { PageFailureBanner } from '../../../ui/page-failure';

export const metadata: Metadata = { title: 'Cluster & health' };

export default async function ClusterPage() {
  const load = await loadForPage((api) => api.nodes());
  const runtime = dashboardRuntime();
  const nowMs = Date.now();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Cluster & health</h1>
          <div className="sub">Signal nodes registered in the cluster, and this dashboard</div>
        </div>
      </div>
      {load.ok ? (
        <section className="panel">
          <h2>Signal nodes</h2>
          <div className="table-wrap">
            <table data-testid="signal-nodes">
              <thead>
                <tr>
                  <th>Node</th>
                  <th>Readiness</th>
                  <th>Version</th>
                  <th>Address</th>
                  <th>Uptime</th>
                  <th>Last heartbeat</th>
                  <th className="num">Peers</th>
                  <th className="num">Rooms</th>
                  <th>WebSocket engine</th>
                </tr>
              </thead>
              <tbody>
                {load.data.nodes.map((node) => (
                  <tr key={node.nodeId} data-testid="signal-node-row" data-node-id={node.nodeId} data-ready={node.ready}>
                    <td className="mono">{node.nodeId}</td>
                    <td>
                      <span className={`badge ${node.ready && !node.draining ? 'up' : 'down'}`}>{node.draining ? 'draining' : node.ready ? 'ready' : 'not ready'}</span>
                    </td>
                    <td data-testid="signal-node-version">{node.version}</td>
                    <td className="mono">{node.address}</td>
                    <td title={`started ${formatUtc(node.startedAtMs)}`}>{formatDuration(nowMs - node.startedAtMs)}</td>
                    <td>{formatAgo(node.lastSeenMs, nowMs)}</td>
                    <td className="num">{formatCount(node.peers)}</td>
                    <td className="num">{formatCount(node.rooms)}</td>
                    <td>{node.uwsNative ? 'uWebSockets.js (native)' : <span className="badge down">ws fallback</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <PageFailureBanner failure={load.failure} />
      )}
      <section className="panel">
        <h2>This dashboard</h2>
        <dl className="kv" data-testid="dashboard-info">
          <dt>Version</dt>
          <dd>{runtime.version}</dd>
          <dt>Uptime</dt>
          <dd>{formatDuration(nowMs - runtime.startedAtMs)}</dd>
          <dt>Signal server</dt>
          <dd className="mono">{runtime.config.signal.url}</dd>
          <dt>Admin API</dt>
          <dd>{load.ok ? <span className="badge up">reachable</span> : <span className="badge down">{load.failure.code}</span>}</dd>
        </dl>
      </section>
    </>
  );
}
