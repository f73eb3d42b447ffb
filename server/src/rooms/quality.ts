import { gradeQuality, type ConnectionStats, type PeerQuality, type QualityCounts, type StatsReport } from '@parley/protocol';

function mean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sum(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((total, value) => total + value, 0);
}

function defined<T>(values: (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}

/**
 * One peer's quality in one room from its latest `stats` report: RTT, loss and jitter averaged
 * over its peer connections, bitrates summed, and the path "relay" as soon as one connection is
 * relayed (that is what costs the operator bandwidth), "direct" when all known paths are direct.
 */
export function summarizeQuality(stats: { report: StatsReport; receivedAtMs: number } | undefined): PeerQuality {
  if (!stats) return { grade: 'unknown', path: 'unknown', connections: [] };
  const connections: ConnectionStats[] = stats.report.connections;
  const relayed = connections.find((connection) => connection.path === 'relay');
  const path = relayed ? 'relay' : connections.some((connection) => connection.path === 'direct') ? 'direct' : 'unknown';
  const rttMs = mean(defined(connections.map((connection) => connection.rttMs)));
  const lossRatio = mean(defined(connections.map((connection) => connection.lossRatio)));
  const quality: PeerQuality = {
    grade: gradeQuality(rttMs, lossRatio),
    path,
    connections,
    updatedAtMs: stats.receivedAtMs,
  };
  if (relayed?.relayProtocol) quality.relayProtocol = relayed.relayProtocol;
  if (rttMs !== undefined) quality.rttMs = rttMs;
  if (lossRatio !== undefined) quality.lossRatio = lossRatio;
  const jitterMs = mean(defined(connections.map((connection) => connection.jitterMs)));
  if (jitterMs !== undefined) quality.jitterMs = jitterMs;
  const bitrateInBps = sum(defined(connections.map((connection) => connection.bitrateInBps)));
  if (bitrateInBps !== undefined) quality.bitrateInBps = bitrateInBps;
  const bitrateOutBps = sum(defined(connections.map((connection) => connection.bitrateOutBps)));
  if (bitrateOutBps !== undefined) quality.bitrateOutBps = bitrateOutBps;
  return quality;
}

export function emptyQualityCounts(): QualityCounts {
  return { good: 0, fair: 0, poor: 0, unknown: 0 };
}
