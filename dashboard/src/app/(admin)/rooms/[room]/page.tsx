import { RoomName, type AdminPeer } from '@parley/protocol';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { loadForPage } from '../../../../admin-api/for-request';
import { formatAgo, formatBitrate, formatDuration, formatMs, formatRatioAsPercent, formatUtc } from '../../../../format/format';
import { PageFailureBanner } from '../../../../ui/page-failure';
import { QualityBar } from '../../../../ui/quality-bar';
import { CloseRoomButton, KickButton } from './room-actions';

type Params = Promise<{ room: string }>;

/** The room name from the URL segment; names outside the protocol's pattern cannot exist. */
async function roomNameOf(params: Params): Promise<string> {
  const raw = (await params).room;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Already decoded, or a stray '%': the name check below decides.
  }
  const parsed = RoomName.safeParse(decoded);
  if (!parsed.success) notFound();
  return parsed.data;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Room ${await roomNameOf(params)}` };
}

function PathBadge({ peer }: { peer: AdminPeer }) {
  const { path, relayProtocol } = peer.quality;
  if (path === 'unknown') return <span className="badge unknown">unknown</span>;
  return (
    <span className={`badge ${path}`} data-testid="peer-path" data-path={path} data-relay-protocol={relayProtocol ?? ''}>
      {path === 'relay' ? `relay${relayProtocol ? ` over ${relayProtocol.toUpperCase()}` : ''}` : 'direct'}
    </span>
  );
}

function stateValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export default async function RoomPage({ params }: { params: Params }) {
  const name = await roomNameOf(params);
  const load = await loadForPage((api) => api.room(name));
  const nowMs = Date.now();
  if (!load.ok) {
    return (
      <>
        <div className="page-head">
          <h1>Room {name}</h1>
        </div>
        <PageFailureBanner failure={load.failure} />
      </>
    );
  }
  const room = load.data;
  const stateEntries = Object.entries(room.state);
  return (
    <>
      <div className="page-head">
        <div>
          <div className="sub">
            <Link href="/rooms">Rooms</Link> /
          </div>
          <h1 data-testid="room-name">{room.name}</h1>
          <div className="sub">
            {room.peerCount} / {room.maxPeers} peers · created {formatAgo(room.createdAtMs, nowMs)}
          </div>
        </div>
        <CloseRoomButton room={room.name} />
      </div>

      <div className="grid two">
        <section className="panel">
          <h2>Room</h2>
          <dl className="kv">
            <dt>Created</dt>
            <dd>{formatUtc(room.createdAtMs)}</dd>
            <dt>Peers</dt>
            <dd data-testid="room-peer-count" data-value={room.peerCount}>
              {room.peerCount} of {room.maxPeers} ({room.relayedPeerCount} relayed)
            </dd>
            <dt>Quality</dt>
            <dd>
              <QualityBar quality={room.quality} /> good {room.quality.good} · fair {room.quality.fair} · poor {room.quality.poor}
            </dd>
            <dt>Closes</dt>
            <dd>{room.closesAtMs === null ? 'no timeout armed' : `${formatAgo(room.closesAtMs, nowMs)} (${formatUtc(room.closesAtMs)})`}</dd>
            <dt>Timeouts</dt>
            <dd>
              empty {formatDuration(room.options.emptyTimeoutSeconds * 1000)} · departure {formatDuration(room.options.departureTimeoutSeconds * 1000)} · max duration{' '}
              {room.options.maxDurationSeconds === null ? 'none' : formatDuration(room.options.maxDurationSeconds * 1000)}
            </dd>
            {room.metadata && Object.keys(room.metadata).length > 0 ? (
              <>
                <dt>Metadata</dt>
                <dd className="mono">{stateValue(room.metadata)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="panel">
          <h2>Room state</h2>
          {stateEntries.length === 0 ? (
            <div className="empty">No shared state set.</div>
          ) : (
            <div className="table-wrap">
              <table data-testid="room-state">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Value</th>
                  </tr>
                </thead>
                <tbody>
                  {stateEntries.map(([key, value]) => (
                    <tr key={key} data-key={key}>
                      <td className="mono">{key}</td>
                      <td className="mono">{stateValue(value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      <section className="panel">
        <h2>Peers</h2>
        {room.peers.length === 0 ? (
          <div className="empty">Nobody is in this room.</div>
        ) : (
          <div className="table-wrap">
            <table data-testid="peers-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Peer</th>
                  <th>Node</th>
                  <th>Connected since</th>
                  <th>Path</th>
                  <th className="num">RTT</th>
                  <th className="num">Loss</th>
                  <th className="num">Jitter</th>
                  <th className="num">Bitrate in / out</th>
                  <th>Grade</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {room.peers.map((peer) => (
                  <tr key={peer.peerId} data-testid="peer-row" data-peer-id={peer.peerId} data-user-id={peer.userId}>
                    <td>{peer.userId}</td>
                    <td className="mono">{peer.peerId}</td>
                    <td className="mono">{peer.nodeId}</td>
                    <td title={formatUtc(peer.connectedSinceMs)}>
                      {formatAgo(peer.connectedSinceMs, nowMs)}
                      {peer.connected ? '' : ' (resuming)'}
                    </td>
                    <td>
                      <PathBadge peer={peer} />
                    </td>
                    <td className="num" data-testid="peer-rtt" data-value={peer.quality.rttMs ?? ''}>
                      {formatMs(peer.quality.rttMs)}
                    </td>
                    <td className="num">{formatRatioAsPercent(peer.quality.lossRatio)}</td>
                    <td className="num">{formatMs(peer.quality.jitterMs)}</td>
                    <td className="num">
                      {formatBitrate(peer.quality.bitrateInBps)} / {formatBitrate(peer.quality.bitrateOutBps)}
                    </td>
                    <td>
                      <span className={`badge ${peer.quality.grade}`}>{peer.quality.grade}</span>
                    </td>
                    <td>
                      <KickButton room={room.name} peerId={peer.peerId} />
                    </td>
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
