import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/test-support';
import { startTurnServer, type TurnServer } from './server.js';
import { formatTurnUsername, turnPassword } from './credentials.js';
import { encodeAddressFamily } from './proto/turn-attributes.js';
import { ATTR_ADDITIONAL_ADDRESS_FAMILY, ATTR_REQUESTED_ADDRESS_FAMILY, CLASS_SUCCESS, METHOD_BINDING } from './stun/index.js';
import { errorCodeOf, TurnTestClient, udpPeer } from '../test/turn-test-client.js';

const SECRET = 'transport-secret';

function credentialsFor(userId: string) {
  const username = formatTurnUsername(Math.floor(Date.now() / 1000) + 600, { userId, sessionTag: randomBytes(4).toString('hex') });
  return { username, password: turnPassword(SECRET, username) };
}

/** A throwaway self-signed certificate made with openssl at test time. */
function selfSignedCertificate(directory: string): { certFile: string; keyFile: string } {
  const certFile = join(directory, 'cert.pem');
  const keyFile = join(directory, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  return { certFile, keyFile };
}

describe('TURN over TCP, TLS and IPv6', () => {
  let turn: TurnServer;
  let directory: string;
  const clients: TurnTestClient[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'parley-turn-tls-'));
    const { certFile, keyFile } = selfSignedCertificate(directory);
    turn = await startTurnServer({
      config: {
        listen: { hosts: ['127.0.0.1', '::1'], udpPort: 0, tcpPort: 0, tlsPort: 0, tlsCertFile: certFile, tlsKeyFile: keyFile },
        relay: { ips: ['127.0.0.1', '::1'] },
        http: { host: '127.0.0.1', port: 0 },
        auth: { secrets: [SECRET] },
        policy: { allowPeers: ['127.0.0.0/8', '::1/128'] },
        log: { level: 'silent' },
      },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await turn.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lists UDP, TCP and TLS URLs for both listen hosts', () => {
    expect(turn.tlsPort).toBeGreaterThan(0);
    expect(turn.urls).toContain(`turn:127.0.0.1:${turn.udpPort}?transport=udp`);
    expect(turn.urls).toContain(`turn:127.0.0.1:${turn.tcpPort}?transport=tcp`);
    expect(turn.urls).toContain(`turns:127.0.0.1:${turn.tlsPort}?transport=tcp`);
    expect(turn.urls.some((url) => url.startsWith('turn:[::1]:'))).toBe(true);
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`allocates over ${transport.toUpperCase()} and relays padded ChannelData both ways`, async () => {
      const client = await TurnTestClient.stream(transport, transport === 'tls' ? turn.tlsPort! : turn.tcpPort);
      clients.push(client);
      expect((await client.allocate(credentialsFor(`${transport}-user`))).cls).toBe(CLASS_SUCCESS);
      const peer = await udpPeer();
      try {
        expect((await client.channelBind(0x4000, peer.address)).cls).toBe(CLASS_SUCCESS);
        // 5 bytes: the server must strip our 3 padding bytes and pad its own answer.
        client.sendChannelData(0x4000, Buffer.from('12345'));
        const got = await waitFor(() => peer.received[0], { what: 'peer datagram' });
        expect(got.data.toString()).toBe('12345');
        peer.socket.send(Buffer.from('abcdefg'), client.relayed[0]!.port, client.relayed[0]!.address);
        peer.socket.send(Buffer.from('second'), client.relayed[0]!.port, client.relayed[0]!.address);
        await waitFor(() => client.received.length >= 2, { what: 'two channel messages' });
        expect(client.received.map((entry) => entry.data.toString())).toEqual(['abcdefg', 'second']);
      } finally {
        peer.close();
      }
    });
  }

  it('ends a TCP allocation when its connection closes', async () => {
    const client = await TurnTestClient.stream('tcp', turn.tcpPort);
    expect((await client.allocate(credentialsFor('closer'))).cls).toBe(CLASS_SUCCESS);
    const relayedPort = client.relayed[0]!.port;
    expect(turn.status().allocations.some((allocation) => allocation.relayedAddresses.includes(`127.0.0.1:${relayedPort}`))).toBe(true);
    client.close();
    await waitFor(() => !turn.status().allocations.some((allocation) => allocation.relayedAddresses.includes(`127.0.0.1:${relayedPort}`)), { what: 'allocation gone' });
  });

  it('closes a TCP connection that sends bytes that are neither STUN nor ChannelData, and keeps serving others', async () => {
    const bad = await TurnTestClient.stream('tcp', turn.tcpPort);
    bad.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    await waitFor(() => bad.closed, { what: 'connection closed by the server' });
    const huge = await TurnTestClient.stream('tcp', turn.tcpPort);
    // A truncated frame header claiming 65 KB that never arrives must not block another client.
    huge.sendRaw(Buffer.from([0x40, 0x00, 0xff, 0xff, 1, 2]));
    const good = await TurnTestClient.stream('tcp', turn.tcpPort);
    clients.push(huge, good);
    expect((await good.request(METHOD_BINDING, [], { sign: false })).cls).toBe(CLASS_SUCCESS);
  });

  it('allocates an IPv6 relayed address on request and both families for ADDITIONAL-ADDRESS-FAMILY', async () => {
    const v6 = await TurnTestClient.udp(turn.udpPort);
    clients.push(v6);
    expect((await v6.allocate(credentialsFor('six'), [{ type: ATTR_REQUESTED_ADDRESS_FAMILY, value: encodeAddressFamily(6) }])).cls).toBe(CLASS_SUCCESS);
    expect(v6.relayed.map((address) => address.family)).toEqual([6]);
    const dual = await TurnTestClient.udp(turn.udpPort);
    clients.push(dual);
    expect((await dual.allocate(credentialsFor('dual'), [{ type: ATTR_ADDITIONAL_ADDRESS_FAMILY, value: encodeAddressFamily(6) }])).cls).toBe(CLASS_SUCCESS);
    expect(dual.relayed.map((address) => address.family)).toEqual([4, 6]);
    const peer6 = await udpPeer('::1');
    try {
      expect((await dual.createPermission(peer6.address)).cls).toBe(CLASS_SUCCESS);
      dual.sendIndication(peer6.address, Buffer.from('to v6 peer'));
      const got = await waitFor(() => peer6.received[0], { what: 'IPv6 peer datagram' });
      expect(got.from.address).toBe('::1');
      expect(got.from.port).toBe(dual.relayed[1]!.port);
    } finally {
      peer6.close();
    }
  });

  it('serves a client over an IPv6 listener', async () => {
    const v6Port = Number(/^turn:\[::1\]:(\d+)\?transport=udp$/.exec(turn.urls.find((url) => url.startsWith('turn:[::1]') && url.endsWith('udp'))!)![1]);
    const c6 = await TurnTestClient.udp(v6Port, '::1', '::1');
    clients.push(c6);
    const response = await c6.allocate(credentialsFor('v6-client'), [{ type: ATTR_REQUESTED_ADDRESS_FAMILY, value: encodeAddressFamily(6) }]);
    expect(response.cls).toBe(CLASS_SUCCESS);
    expect(errorCodeOf(response)).toBeNull();
  });
});
