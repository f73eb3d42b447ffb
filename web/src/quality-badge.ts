import type { PeerQuality } from '@parley/sdk';

/**
 * The per-peer badge: which path media takes (direct or through the relay, and over what), RTT
 * and loss, coloured by the shared quality grade.
 */
export interface BadgeView {
  text: string;
  grade: PeerQuality['grade'];
  path: PeerQuality['path'];
  title: string;
}

export function badgeFor(quality: PeerQuality | undefined): BadgeView {
  if (!quality || quality.path === 'unknown') return { text: 'connecting…', grade: 'unknown', path: 'unknown', title: 'No connection path selected yet' };
  const path = quality.path === 'relay' ? `relay${quality.relayProtocol ? `/${quality.relayProtocol}` : ''}` : 'direct';
  const parts = [path];
  if (quality.rttMs !== undefined) parts.push(`${Math.round(quality.rttMs)} ms`);
  if (quality.lossRatio !== undefined) parts.push(`${formatLoss(quality.lossRatio)} loss`);
  const title = [
    `path: ${quality.path}`,
    quality.localCandidateType && `local candidate: ${quality.localCandidateType}`,
    quality.remoteCandidateType && `remote candidate: ${quality.remoteCandidateType}`,
    quality.jitterMs !== undefined && `jitter: ${quality.jitterMs.toFixed(1)} ms`,
    quality.bitrateInBps !== undefined && `in: ${formatBitrate(quality.bitrateInBps)}`,
    quality.bitrateOutBps !== undefined && `out: ${formatBitrate(quality.bitrateOutBps)}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { text: parts.join(' · '), grade: quality.grade, path: quality.path, title };
}

export function formatLoss(ratio: number): string {
  const percent = ratio * 100;
  return `${percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)}%`;
}

export function formatBitrate(bps: number): string {
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mbit/s`;
  if (bps >= 1e3) return `${Math.round(bps / 1e3)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
