import type { Metadata } from 'next';
import { loadForPage } from '../../../admin-api/for-request';
import { formatAgo, formatBytes, formatBytesPerSecondAsBits, formatCount, formatDuration } from '../../../format/format';
import { UsageBarChart } from '../../../ui/charts';
import { PageFailureBanner } from '../../../ui/page-failure';

export const metadata: Metadata = { title: 'TURN' };

export default async function TurnPage() {
  const load = await loadForPage((api) => api.turn());
  const nowMs = Date.now();
  if (!load.ok) {
    return (
      <>
        <div className="page-head">
          <h1>TURN relays</h1>
        </div>
        <PageFailureBanner failure={load.failure} />
      </>
    );
  }
  const { nodes, allocations, topUsers, topRooms } = load.data;
  const relayBytesTotal = allocations.reduce((sum, allocation) => sum + allocation.bytesToPeers + allocation.bytesFromPeers, 0);
  const healthy = nodes.filter((node) => node.healthy).length;
  const bandwidthIn = nodes.reduce((sum, node) => sum + node.relayBytesFromPeersPerSecond, 0);
  const bandwidthOut = nodes.reduce((sum, node) => sum + node.relayBytesToPeersPerSecond, 0);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>TURN relays</h1>
          <div className="sub">As polled by the signal server from each node&apos;s status endpoint</div>
        </div>
      </div>
      <div className="grid cards">
        <div className="card" data-testid="turn-nodes-healthy" data-value={healthy}>
          <div className="label">Healthy nodes</div>
          <div className="value">
            {healthy} / {nodes.length}
          </div>
        </div>
        <div className="card" data-testid="turn-allocations" data-value={allocations.length}>
          <div className="label">Allocations</div>
          <div className="value">{formatCount(allocations.length)}</div>
        </div>
        <div className="card" data-testid="turn-relay-bytes" data-value={relayBytesTotal}>
          <div className="label">Relayed by live allocations</div>
          <div className="value">{formatBytes(relayBytesTotal)}</div>
        </div>
        <div className="card" data-testid="turn-bandwidth" data-value={bandwidthIn + bandwidthOut}>
          <div className="label">Bandwidth</div>
          <div className="value">{formatBytesPerSecondAsBits(bandwidthIn + bandwidthOut)}</div>
          <div className="hint">
            in {formatBytesPerSecondAsBits(bandwidthIn)} · out {formatBytesPerSecondAsBits(bandwidthOut)}
          </div>
        </div>
      </div>

      <section className="panel">
        <h2>Nodes</h2>
        {nodes.length === 0 ? (
          <div className="empty">No TURN nodes configured on the signal server (turn.nodes).</div>
        ) : (
          <div className="table-wrap">
            <table data-testid="turn-nodes">
              <thead>
                <tr>
                  <th>Node</th>
                  <th>Health</th>
                  <th>Version</th>
                  <th>Last seen</th>
                  <th className="num">Allocations</th>
                  <th className="num">In (from peers)</th>
                  <th className="num">Out (to peers)</th>
                  <th>Status URL</th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((node) => (
                  <tr key={node.statusUrl} data-testid="turn-node-row" data-healthy={node.healthy}>
                    <td className="mono">{node.nodeId}</td>
                    <td>
                      <span className={`badge ${node.healthy ? 'up' : 'down'}`}>{node.healthy ? 'healthy' : 'down'}</span>
                      {node.error ? <span className="mono"> {node.error}</span> : null}
                    </td>
                    <td>{node.version ?? '—'}</td>
                    <td>{formatAgo(node.lastSeenMs, nowMs)}</td>
                    <td className="num">{formatCount(node.allocations)}</td>
                    <td className="num">{formatBytesPerSecondAsBits(node.relayBytesFromPeersPerSecond)}</td>
                    <td className="num">{formatBytesPerSecondAsBits(node.relayBytesToPeersPerSecond)}</td>
                    <td className="mono">{node.statusUrl}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="grid two">
        <section className="panel">
          <h2>Top users by relay bytes</h2>
          <UsageBarChart testId="top-users-chart" rows={topUsers} />
          <UsageTable rows={topUsers} testId="top-users" label="User" />
        </section>
        <section className="panel">
          <h2>Top rooms by relay bytes</h2>
          <UsageBarChart testId="top-rooms-chart" rows={topRooms} />
          <UsageTable rows={topRooms} testId="top-rooms" label="Room" />
        </section>
      </div>

      <section className="panel">
        <h2>Allocations</h2>
        {allocations.length === 0 ? (
          <div className="empty">No live allocations.</div>
        ) : (
          <div className="table-wrap">
            <table data-testid="turn-allocation-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Room</th>
                  <th>Node</th>
                  <th>Transport</th>
                  <th>Client</th>
                  <th>Relayed address</th>
                  <th className="num">To peers</th>
                  <th className="num">From peers</th>
                  <th className="num">Perms / channels</th>
                  <th>Age</th>
                  <th>Expires</th>
                </tr>
              </thead>
              <tbody>
                {allocations.map((allocation) => (
                  <tr key={`${allocation.nodeId}/${allocation.id}`} data-testid="turn-allocation-row" data-bytes={allocation.bytesToPeers + allocation.bytesFromPeers}>
                    <td>{allocation.userId ?? '—'}</td>
                    <td>{allocation.room ?? '—'}</td>
                    <td className="mono">{allocation.nodeId}</td>
                    <td>{allocation.transport.toUpperCase()}</td>
                    <td className="mono">{allocation.clientAddress}</td>
                    <td className="mono">{allocation.relayedAddresses.join(', ')}</td>
                    <td className="num">{formatBytes(allocation.bytesToPeers)}</td>
                    <td className="num">{formatBytes(allocation.bytesFromPeers)}</td>
                    <td className="num">
                      {allocation.permissions} / {allocation.channels}
                    </td>
                    <td>{formatDuration(nowMs - allocation.createdAtMs)}</td>
                    <td>{formatAgo(allocation.expiresAtMs, nowMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function UsageTable({ rows, testId, label }: { rows: { key: string; relayBytes: number; allocations: number }[]; testId: string; label: string }) {
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{label}</th>
            <th className="num">Relay bytes</th>
            <th className="num">Allocations</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key} data-bytes={row.relayBytes}>
              <td>{row.key}</td>
              <td className="num">{formatBytes(row.relayBytes)}</td>
              <td className="num">{row.allocations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
