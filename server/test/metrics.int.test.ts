import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const PROMTOOL = '/usr/bin/promtool';

describe('/metrics', () => {
  let t: TestServer;
  let text: string;

  beforeAll(async () => {
    t = await startTestServer({ config: { turn: { secrets: ['metrics-turn-secret-0001'], urls: ['turn:127.0.0.1:3478'] } } });
    const alice = await t.joinAs('alice', 'm');
    const bob = await t.joinAs('bob', 'm');
    alice.client.send({ type: 'signal', room: 'm', to: bob.session.peerId, payload: { sdp: 'v=0' } });
    await bob.client.nextOf('signal');
    alice.client.send('not json');
    await alice.client.nextOf('error');
    await alice.client.request({
      type: 'stats',
      room: 'm',
      report: { connections: [{ remotePeerId: bob.session.peerId, path: 'relay', relayProtocol: 'udp', rttMs: 80, lossRatio: 0.01, jitterMs: 5, bitrateInBps: 800_000, bitrateOutBps: 600_000 }] },
    });
    await fetch(`${t.server.url}/v1/admin/rooms`);
    const response = await fetch(`${t.server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    text = await response.text();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("passes promtool check metrics, apart from prom-client's default metric names", () => {
    if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: install Debian's prometheus package (npm test does this when it may)`);
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const ours = problems.filter((line) => line.startsWith('parley_') || !/^(nodejs_|process_)/.test(line));
    expect(ours).toEqual([]);
    // Sanity: promtool did read the exposition (a broken one fails with a parse error, caught above).
    expect(text).toContain('# TYPE parley_signal_messages_received_total counter');
  });

  it('counts messages by type, errors by code, and reports live gauges', () => {
    expect(text).toMatch(/^parley_signal_messages_received_total\{type="signal"\} 1$/m);
    expect(text).toMatch(/^parley_signal_messages_received_total\{type="invalid"\} 1$/m);
    expect(text).toMatch(/^parley_signal_errors_total\{code="MALFORMED_JSON"\} 1$/m);
    expect(text).toMatch(/^parley_signal_connections 2$/m);
    expect(text).toMatch(/^parley_signal_sessions\{state="connected"\} 2$/m);
    expect(text).toMatch(/^parley_signal_rooms 1$/m);
    expect(text).toMatch(/^parley_signal_peer_paths\{path="relay"\} 1$/m);
    expect(text).toMatch(/^parley_signal_ready 1$/m);
    expect(text).toMatch(/^parley_signal_build_info\{node="[^"]+",version="[^"]+",uws_native="true"\} 1$/m);
    expect(text).toMatch(/^parley_signal_turn_credentials_issued_total\{via="session"\} 2$/m);
    expect(text).toMatch(/^parley_signal_auth_failures_total\{code="TOKEN_MISSING"\} 1$/m);
  });

  it('turns stats reports into quality histograms in base units', () => {
    expect(text).toMatch(/^parley_signal_peer_rtt_seconds_bucket\{le="0.1"\} 1$/m);
    expect(text).toMatch(/^parley_signal_peer_rtt_seconds_sum 0.08$/m);
    expect(text).toMatch(/^parley_signal_peer_loss_ratio_count 1$/m);
    expect(text).toMatch(/^parley_signal_peer_jitter_seconds_sum 0.005$/m);
    expect(text).toMatch(/^parley_signal_peer_bitrate_bytes_per_second_sum\{direction="in"\} 100000$/m);
  });

  it('never labels a metric with a room, user or address', () => {
    for (const secret of ['alice', 'bob', '"m"', '127.0.0.1']) expect(text).not.toContain(secret);
  });
});
