import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from '@parley/test-support';
import type { TurnServer } from './server.js';
import { startLoopbackRelay } from '../test/loopback-relay.js';
import { mintTurnCredential } from './credentials.js';

/**
 * Real Chromium (Debian package through playwright-core) with iceTransportPolicy 'relay': two
 * RTCPeerConnections in one page can only reach each other through our relay. A DataChannel
 * message must round-trip and getStats must show a nominated relay/relay candidate pair.
 */
const SECRET = 'chromium-secret';

interface PageResult {
  echoed: string;
  localType: string;
  remoteType: string;
  relayProtocol: string | null;
  nominated: boolean;
}

describe('Chromium through our relay only', () => {
  let turn: TurnServer;
  let chromium: LaunchedChromium;

  beforeAll(async () => {
    turn = await startLoopbackRelay({ secret: SECRET });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await turn?.stop();
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`connects two peers over TURN/${transport.toUpperCase()} with a relay/relay pair and echoes a DataChannel message`, async () => {
      const credential = mintTurnCredential({ secret: SECRET, ttlSeconds: 600, nowSeconds: Date.now() / 1000, subject: { userId: `chromium-${transport}`, room: 'e2e', sessionTag: randomBytes(4).toString('hex') } });
      const url = turn.urls.find((candidate) => candidate.endsWith(`transport=${transport}`))!;
      const page = await chromium.context.newPage();
      await page.setContent('<title>relay test</title>');
      const result = await page.evaluate(
        async ({ url, username, credential }): Promise<PageResult> => {
          const config: RTCConfiguration = { iceServers: [{ urls: [url], username, credential }], iceTransportPolicy: 'relay' };
          const a = new RTCPeerConnection(config);
          const b = new RTCPeerConnection(config);
          a.onicecandidate = (event) => event.candidate && b.addIceCandidate(event.candidate);
          b.onicecandidate = (event) => event.candidate && a.addIceCandidate(event.candidate);
          b.ondatachannel = (event) => {
            event.channel.onmessage = (message) => event.channel.send(`echo:${message.data}`);
          };
          const channel = a.createDataChannel('probe');
          const echoed = new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no echo; ice=${a.iceConnectionState}`)), 20_000);
            channel.onmessage = (message) => {
              clearTimeout(timer);
              resolve(String(message.data));
            };
          });
          channel.onopen = () => channel.send('ping');
          await a.setLocalDescription(await a.createOffer());
          await b.setRemoteDescription(a.localDescription!);
          await b.setLocalDescription(await b.createAnswer());
          await a.setRemoteDescription(b.localDescription!);
          const text = await echoed;
          const stats = await a.getStats();
          let pair: RTCIceCandidatePairStats | undefined;
          stats.forEach((report) => {
            if (report.type === 'transport' && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId);
          });
          const local = pair ? stats.get(pair.localCandidateId) : undefined;
          const remote = pair ? stats.get(pair.remoteCandidateId) : undefined;
          a.close();
          b.close();
          return {
            echoed: text,
            localType: local?.candidateType ?? 'none',
            remoteType: remote?.candidateType ?? 'none',
            relayProtocol: local?.relayProtocol ?? null,
            nominated: pair?.nominated ?? false,
          };
        },
        { url, username: credential.username, credential: credential.credential },
      );
      await page.close();
      expect(result.echoed).toBe('echo:ping');
      expect(result.localType).toBe('relay');
      expect(result.remoteType).toBe('relay');
      expect(result.relayProtocol).toBe(transport);
      expect(result.nominated).toBe(true);
    });
  }
});
