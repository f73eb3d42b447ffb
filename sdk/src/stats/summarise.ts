import type { CandidateType, ConnectionPath, RelayProtocol } from '@parley/protocol';

/**
 * Turns one `RTCPeerConnection.getStats()` report into the few figures people look at: which path
 * the connection takes (direct or through a relay, and how it reaches the relay), RTT, loss,
 * jitter and bitrate. Rates and loss need two reports, so each call returns a sample to pass to
 * the next. Pure: tests feed it recorded reports.
 */

/** The fields of RTCStats this module reads (all optional: browsers differ). */
export interface StatLike {
  id: string;
  type: string;
  timestamp: number;
  [field: string]: unknown;
}

export interface StatsSample {
  timestampMs: number;
  pairBytesSent: number;
  pairBytesReceived: number;
  inboundPacketsReceived: number;
  inboundPacketsLost: number;
}

export interface ConnectionSummary {
  path: ConnectionPath;
  relayProtocol?: RelayProtocol;
  localCandidateType?: CandidateType;
  remoteCandidateType?: CandidateType;
  rttMs?: number;
  /** Fraction of packets lost, 0..1 (the worse of the two directions when both are known). */
  lossRatio?: number;
  jitterMs?: number;
  bitrateInBps?: number;
  bitrateOutBps?: number;
}

const CANDIDATE_TYPES: ReadonlySet<string> = new Set<CandidateType>(['host', 'srflx', 'prflx', 'relay']);
const RELAY_PROTOCOLS: ReadonlySet<string> = new Set<RelayProtocol>(['udp', 'tcp', 'tls']);
const MAX_MS = 60_000;
const MAX_BPS = 1e10;

export function summariseStats(report: Iterable<StatLike>, previous?: StatsSample): { summary: ConnectionSummary; sample: StatsSample } {
  const byId = new Map<string, StatLike>();
  for (const stat of report) byId.set(stat.id, stat);
  const stats = [...byId.values()];

  const pair = selectedPair(stats, byId);
  const local = pair ? byId.get(str(pair.localCandidateId) ?? '') : undefined;
  const remote = pair ? byId.get(str(pair.remoteCandidateId) ?? '') : undefined;
  const localCandidateType = candidateType(local);
  const remoteCandidateType = candidateType(remote);

  let inboundPacketsReceived = 0;
  let inboundPacketsLost = 0;
  let jitterSeconds: number | undefined;
  let remoteFractionLost: number | undefined;
  let remoteRttSeconds: number | undefined;
  for (const stat of stats) {
    if (stat.type === 'inbound-rtp') {
      inboundPacketsReceived += num(stat.packetsReceived) ?? 0;
      inboundPacketsLost += Math.max(0, num(stat.packetsLost) ?? 0);
      const jitter = num(stat.jitter);
      if (jitter !== undefined) jitterSeconds = Math.max(jitterSeconds ?? 0, jitter);
    } else if (stat.type === 'remote-inbound-rtp') {
      const fraction = num(stat.fractionLost);
      if (fraction !== undefined) remoteFractionLost = Math.max(remoteFractionLost ?? 0, fraction);
      const rtt = num(stat.roundTripTime);
      if (rtt !== undefined) remoteRttSeconds = Math.max(remoteRttSeconds ?? 0, rtt);
    }
  }

  const sample: StatsSample = {
    timestampMs: pair?.timestamp ?? stats[0]?.timestamp ?? 0,
    pairBytesSent: num(pair?.bytesSent) ?? 0,
    pairBytesReceived: num(pair?.bytesReceived) ?? 0,
    inboundPacketsReceived,
    inboundPacketsLost,
  };

  const summary: ConnectionSummary = {
    path: !pair ? 'unknown' : localCandidateType === 'relay' || remoteCandidateType === 'relay' ? 'relay' : 'direct',
  };
  if (localCandidateType) summary.localCandidateType = localCandidateType;
  if (remoteCandidateType) summary.remoteCandidateType = remoteCandidateType;
  const relayProtocol = str(local?.relayProtocol);
  if (localCandidateType === 'relay' && relayProtocol && RELAY_PROTOCOLS.has(relayProtocol)) summary.relayProtocol = relayProtocol as RelayProtocol;

  const rttSeconds = num(pair?.currentRoundTripTime) ?? remoteRttSeconds;
  if (rttSeconds !== undefined) summary.rttMs = clamp(rttSeconds * 1000, MAX_MS);
  if (jitterSeconds !== undefined) summary.jitterMs = clamp(jitterSeconds * 1000, MAX_MS);

  let inboundLoss: number | undefined;
  if (previous) {
    const received = sample.inboundPacketsReceived - previous.inboundPacketsReceived;
    const lost = sample.inboundPacketsLost - previous.inboundPacketsLost;
    if (received >= 0 && lost >= 0 && received + lost > 0) inboundLoss = lost / (received + lost);
    const elapsedSeconds = (sample.timestampMs - previous.timestampMs) / 1000;
    if (elapsedSeconds > 0) {
      const sent = sample.pairBytesSent - previous.pairBytesSent;
      const receivedBytes = sample.pairBytesReceived - previous.pairBytesReceived;
      if (receivedBytes >= 0) summary.bitrateInBps = clamp((receivedBytes * 8) / elapsedSeconds, MAX_BPS);
      if (sent >= 0) summary.bitrateOutBps = clamp((sent * 8) / elapsedSeconds, MAX_BPS);
    }
  }
  if (inboundLoss !== undefined || remoteFractionLost !== undefined) {
    summary.lossRatio = clamp(Math.max(inboundLoss ?? 0, remoteFractionLost ?? 0), 1);
  }
  return { summary, sample };
}

/** The candidate pair in use: by the transport's pointer, Firefox's `selected`, or the nominated one. */
function selectedPair(stats: StatLike[], byId: Map<string, StatLike>): StatLike | undefined {
  for (const stat of stats) {
    if (stat.type !== 'transport') continue;
    const pair = byId.get(str(stat.selectedCandidatePairId) ?? '');
    if (pair) return pair;
  }
  const pairs = stats.filter((stat) => stat.type === 'candidate-pair');
  const selected = pairs.find((pair) => pair.selected === true);
  if (selected) return selected;
  const nominated = pairs.filter((pair) => pair.nominated === true && pair.state === 'succeeded');
  nominated.sort((a, b) => (num(b.bytesReceived) ?? 0) - (num(a.bytesReceived) ?? 0));
  return nominated[0];
}

function candidateType(candidate: StatLike | undefined): CandidateType | undefined {
  const type = str(candidate?.candidateType);
  return type && CANDIDATE_TYPES.has(type) ? (type as CandidateType) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(0, value));
}
