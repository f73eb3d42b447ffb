'use client';

import type { HistoryPoint, Overview } from '@parley/protocol';
import { useState } from 'react';
import { formatBytesPerSecondAsBits, formatCount, formatRate } from '../format/format';
import { TimeSeriesChart } from './charts';
import { useLiveEvents } from './live';
import { QUALITY_COLORS, QualityBar } from './quality-bar';

/** How many points the charts keep: an hour at the server's 10 s history interval, plus slack. */
const MAX_POINTS = 400;

function pointOf(overview: Overview): HistoryPoint {
  return {
    timeMs: overview.timeMs,
    peers: overview.peers,
    rooms: overview.rooms,
    messagesPerSecond: overview.messagesPerSecond,
    turnAllocations: overview.turn.allocations,
    relayBytesToPeersPerSecond: overview.turn.relayBytesToPeersPerSecond,
    relayBytesFromPeersPerSecond: overview.turn.relayBytesFromPeersPerSecond,
    quality: overview.quality,
  };
}

/**
 * The overview's numbers and charts. Server-rendered from `overview` + `history`, then kept
 * current by the live `overview` events between server re-renders.
 */
export function OverviewLive({ overview, history }: { overview: Overview; history: HistoryPoint[] }) {
  const [livePoints, setLivePoints] = useState<HistoryPoint[]>([]);
  useLiveEvents((event) => {
    if (event.type !== 'overview') return;
    setLivePoints((points) => [...points, pointOf(event.overview)].slice(-MAX_POINTS));
  });

  const lastServerMs = history.at(-1)?.timeMs ?? 0;
  const newer = livePoints.filter((point) => point.timeMs > Math.max(lastServerMs, overview.timeMs));
  const current = newer.at(-1) ?? pointOf(overview);
  const points = [...history, ...newer].slice(-MAX_POINTS);
  const rows = points.map((point) => ({
    timeMs: point.timeMs,
    peers: point.peers,
    rooms: point.rooms,
    messagesPerSecond: point.messagesPerSecond,
    turnAllocations: point.turnAllocations,
    relayIn: point.relayBytesFromPeersPerSecond * 8,
    relayOut: point.relayBytesToPeersPerSecond * 8,
    good: point.quality.good,
    fair: point.quality.fair,
    poor: point.quality.poor,
    unknown: point.quality.unknown,
  }));
  const relayBitsPerSecond = (bits: number) => formatBytesPerSecondAsBits(bits / 8);

  return (
    <>
      <div className="grid cards">
        <Card label="Connected peers" value={formatCount(current.peers)} testId="stat-peers" raw={current.peers} />
        <Card label="Rooms" value={formatCount(current.rooms)} testId="stat-rooms" raw={current.rooms} />
        <Card label="Messages / s" value={formatRate(current.messagesPerSecond)} testId="stat-messages" raw={current.messagesPerSecond} />
        <Card label="TURN allocations" value={formatCount(current.turnAllocations)} testId="stat-allocations" raw={current.turnAllocations} hint={`${overview.turn.nodes} TURN node(s)`} />
        <Card
          label="Relay bandwidth"
          value={formatBytesPerSecondAsBits(current.relayBytesToPeersPerSecond + current.relayBytesFromPeersPerSecond)}
          testId="stat-relay"
          raw={current.relayBytesToPeersPerSecond + current.relayBytesFromPeersPerSecond}
          hint={`in ${formatBytesPerSecondAsBits(current.relayBytesFromPeersPerSecond)} · out ${formatBytesPerSecondAsBits(current.relayBytesToPeersPerSecond)}`}
        />
        <div className="card" data-testid="stat-quality">
          <div className="label">Quality</div>
          <div style={{ margin: '10px 0 6px' }}>
            <QualityBar quality={current.quality} width={150} />
          </div>
          <div className="hint">
            good {current.quality.good} · fair {current.quality.fair} · poor {current.quality.poor}
            {current.quality.unknown > 0 ? ` · unknown ${current.quality.unknown}` : ''}
          </div>
        </div>
      </div>
      <div className="grid two">
        <section className="panel">
          <h2>Peers and rooms</h2>
          <TimeSeriesChart
            testId="chart-peers"
            rows={rows}
            formatValue={formatCount}
            series={[
              { key: 'peers', label: 'peers', color: '#3651d4' },
              { key: 'rooms', label: 'rooms', color: '#1f9d55' },
            ]}
          />
        </section>
        <section className="panel">
          <h2>Messages per second</h2>
          <TimeSeriesChart testId="chart-messages" rows={rows} formatValue={formatRate} series={[{ key: 'messagesPerSecond', label: 'messages/s', color: '#7c3aed' }]} />
        </section>
        <section className="panel">
          <h2>Relay bandwidth</h2>
          <TimeSeriesChart
            testId="chart-relay"
            rows={rows}
            formatValue={relayBitsPerSecond}
            series={[
              { key: 'relayIn', label: 'from peers', color: '#0e7490' },
              { key: 'relayOut', label: 'to peers', color: '#d97706' },
            ]}
          />
        </section>
        <section className="panel">
          <h2>Connection quality</h2>
          <TimeSeriesChart
            testId="chart-quality"
            rows={rows}
            formatValue={formatCount}
            stacked
            series={[
              { key: 'good', label: 'good', color: QUALITY_COLORS.good },
              { key: 'fair', label: 'fair', color: QUALITY_COLORS.fair },
              { key: 'poor', label: 'poor', color: QUALITY_COLORS.poor },
              { key: 'unknown', label: 'unknown', color: QUALITY_COLORS.unknown },
            ]}
          />
        </section>
      </div>
    </>
  );
}

function Card({ label, value, hint, testId, raw }: { label: string; value: string; hint?: string; testId: string; raw: number }) {
  return (
    <div className="card" data-testid={testId} data-value={raw}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}
