import type { BrowserContext, Page } from 'playwright-core';
import type { HarnessWindow } from './page-types.js';

/**
 * One participant of an end-to-end test: a Chromium page on the harness, driving the SDK's
 * public API. Node-side methods wrap `page.evaluate` so tests read as the scenario they check.
 */
export interface JoinPeerOptions {
  token: string;
  room: string;
  name: string;
  /** Send the fake camera and microphone. */
  media?: boolean;
  forceRelay?: boolean;
  statsIntervalMs?: number;
  /** Signal server URL when not the page origin (a proxy, for the blip test). */
  serverUrl?: string;
}

export class BrowserPeer {
  peerId = '';

  private constructor(readonly page: Page, readonly name: string) {}

  static async open(context: BrowserContext, url: string, name: string): Promise<BrowserPeer> {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => (window as HarnessWindow).harnessReady === true);
    return new BrowserPeer(page, name);
  }

  /** Connects and joins; records events in the page. Resolves with our peer id. */
  async join(options: JoinPeerOptions): Promise<string> {
    this.peerId = await this.page.evaluate(async (o) => {
      const w = window as HarnessWindow;
      const { connect } = w.parley;
      const client = await connect(o.serverUrl ?? location.origin, o.token, { heartbeatIntervalMs: 2_000, heartbeatTimeoutMs: 3_000 });
      const localStream = o.media ? await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 180 } }) : null;
      const room = await client.join(o.room, {
        meta: { name: o.name },
        forceRelay: o.forceRelay ?? true,
        statsIntervalMs: o.statsIntervalMs ?? 1_000,
        ...(localStream ? { localStream } : {}),
      });
      const peer: HarnessWindow['peer'] = { client, room, log: [], chats: [], files: [], failedFiles: [], directs: [], broadcasts: [], turnRefreshes: 0, localStream };
      w.peer = peer;
      room.on('peer.joined', (p) => peer.log.push(`peer.joined:${p.peerId}`));
      room.on('peer.left', ({ peer: p, reason }) => peer.log.push(`peer.left:${p.peerId}:${reason}`));
      room.on('chat', (message) => peer.chats.push(message));
      room.on('broadcast', ({ data }) => peer.broadcasts.push(data));
      room.on('negotiation', (info) => peer.log.push(`negotiation:${info.peerId}:${info.event}`));
      room.on('ice.restart', (e) => peer.log.push(`ice.restart:${e.peerId}:${e.reason}`));
      room.on('ice.candidate-error', (e) => peer.log.push(`ice.candidate-error:${e.peerId}:${e.errorCode}:${e.url}`));
      room.on('connection.state', (e) => peer.log.push(`state:${e.peerId}:${e.state}`));
      room.on('error', (e) => peer.log.push(`error:${e.code}:${e.message}`));
      room.on('rejoined', () => peer.log.push('rejoined'));
      room.on('closed', ({ reason }) => peer.log.push(`closed:${reason}`));
      room.on('file.failed', ({ error }) => peer.failedFiles.push(error.code));
      room.on('file.received', (file) => {
        void file.data.arrayBuffer().then(async (buffer) => {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
          const webCryptoSha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
          peer.files.push({ from: file.peerId, name: file.name, sizeBytes: file.sizeBytes, sha256: file.sha256, webCryptoSha256 });
        });
      });
      client.on('direct', (message) => peer.directs.push(message.data));
      client.on('reconnecting', ({ error }) => peer.log.push(`reconnecting:${error.code}`));
      client.on('resumed', () => peer.log.push('resumed'));
      client.on('disconnected', ({ error }) => peer.log.push(`disconnected:${error.code}`));
      client.on('session.restarted', () => peer.log.push('session.restarted'));
      client.on('turn.refresh', () => peer.turnRefreshes++);
      return room.self.peerId;
    }, options);
    return this.peerId;
  }

  /** Waits until our connection to each of `peerIds` is connected and its chat channel open. */
  async waitConnected(peerIds: string[], timeoutMs = 30_000): Promise<void> {
    try {
      await this.page.waitForFunction(
        (ids) => {
          const { room } = (window as HarnessWindow).peer;
          return ids.every((id) => room.mesh?.connectionState(id) === 'connected');
        },
        peerIds,
        { timeout: timeoutMs, polling: 100 },
      );
    } catch (error) {
      throw new Error(`${this.name} did not connect to ${peerIds.join(', ')} within ${timeoutMs} ms:\n${await this.diagnose(peerIds)}`, { cause: error });
    }
  }

  /** What each connection is doing, for failure messages: states, candidates, negotiation log. */
  async diagnose(peerIds: string[]): Promise<string> {
    return this.page
      .evaluate(async (ids) => {
        const { peer } = window as HarnessWindow;
        const lines: string[] = [];
        for (const id of ids) {
          const pc = peer.room.mesh?.connection(id);
          if (!pc) {
            lines.push(`${id}: no connection`);
            continue;
          }
          const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
          const candidates = stats.filter((s) => s.type === 'local-candidate' || s.type === 'remote-candidate').map((s) => `${s.type}:${s.candidateType}/${s.protocol}/${s.relayProtocol ?? ''}`);
          const pairs = stats.filter((s) => s.type === 'candidate-pair').map((s) => `${s.state}${s.nominated ? '*' : ''} req=${s.requestsSent} resp=${s.responsesReceived}`);
          lines.push(`${id}: connection=${pc.connectionState} ice=${pc.iceConnectionState} signaling=${pc.signalingState} gathering=${pc.iceGatheringState}`);
          lines.push(`  candidates: ${candidates.join(' ') || 'none'}`);
          lines.push(`  pairs: ${pairs.join(' | ') || 'none'}`);
        }
        lines.push(`log: ${peer.log.join(' ')}`);
        return lines.join('\n');
      }, peerIds)
      .catch((error: Error) => `(no diagnosis: ${error.message})`);
  }

  async sendChat(text: string): Promise<string[]> {
    return this.page.evaluate((t) => (window as HarnessWindow).peer.room.sendChat(t).sentTo, text);
  }

  /** Waits for a chat message with `text`; returns who sent it. */
  async waitForChat(text: string, timeoutMs = 15_000): Promise<string> {
    const handle = await this.page.waitForFunction((t) => (window as HarnessWindow).peer.chats.find((m) => m.text === t)?.from, text, { timeout: timeoutMs, polling: 50 });
    return (await handle.jsonValue()) as string;
  }

  /**
   * Sends `sizeBytes` of random data to one peer; resolves with the SHA-256 WebCrypto computed
   * on the sender's bytes and the one the SDK reported after the receiver confirmed.
   */
  async sendRandomFile(toPeerId: string, sizeBytes: number, name = 'random.bin'): Promise<{ webCryptoSha256: string; sdkSha256: string; progressEvents: number }> {
    return this.page.evaluate(
      async ({ to, size, fileName }) => {
        const w = window as HarnessWindow;
        const data = new Uint8Array(size);
        for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(data.subarray(at, Math.min(size, at + 65_536)));
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
        let progressEvents = 0;
        const result = await w.peer.room.sendFile(to, new Blob([data]), { name: fileName, onProgress: () => progressEvents++ });
        return { webCryptoSha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), sdkSha256: result.sha256, progressEvents };
      },
      { to: toPeerId, size: sizeBytes, fileName: name },
    );
  }

  async waitForFile(name: string, timeoutMs = 60_000) {
    const handle = await this.page.waitForFunction((n) => (window as HarnessWindow).peer.files.find((f) => f.name === n), name, { timeout: timeoutMs, polling: 100 });
    return (await handle.jsonValue()) as HarnessWindow['peer']['files'][number];
  }

  /** getStats of our connection to `peerId`, summarised by the SDK, plus video frames decoded. */
  async connectionStats(peerId: string) {
    return this.page.evaluate(async (id) => {
      const w = window as HarnessWindow;
      const report = await w.peer.room.mesh!.getStats(id)!;
      const stats = [...report.values()] as Array<Record<string, unknown>>;
      const framesDecoded = stats.filter((s) => s.type === 'inbound-rtp' && s.kind === 'video').reduce((sum, s) => sum + ((s.framesDecoded as number) ?? 0), 0);
      return { summary: w.parley.summariseStats(stats as never).summary, framesDecoded };
    }, peerId);
  }

  async log(): Promise<string[]> {
    return this.page.evaluate(() => [...(window as HarnessWindow).peer.log]);
  }

  async waitForLog(entry: string | RegExp, timeoutMs = 30_000): Promise<void> {
    const source = typeof entry === 'string' ? { text: entry } : { pattern: entry.source };
    await this.page.waitForFunction(
      (s) => (window as HarnessWindow).peer.log.some((line) => ('text' in s ? line === s.text : new RegExp(s.pattern!).test(line))),
      source as { text?: string; pattern?: string },
      { timeout: timeoutMs, polling: 50 },
    );
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => (window as HarnessWindow).peer?.client.close()).catch(() => undefined);
    await this.page.close();
  }
}
