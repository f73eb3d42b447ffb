// A minimal Parley peer that runs inside a Chromium page for the dashboard's browser tests: it
// speaks the wire protocol (protocol/src/messages) over the signal server's WebSocket, connects an
// RTCPeerConnection to every other peer of the room through the TURN relay (iceTransportPolicy
// "relay", so relay bytes are real), pumps data over a data channel, and reports getStats()
// summaries with `stats` messages as an SDK would. Plain JS: it is injected as a script tag.
(() => {
  const CHUNK_BYTES = 8 * 1024;
  const MAX_BUFFERED_BYTES = 256 * 1024;

  function summarise(pc, remotePeerId, previous) {
    return pc.getStats().then((report) => {
      let pair;
      let transport;
      report.forEach((entry) => {
        if (entry.type === 'transport') transport = entry;
      });
      if (transport && transport.selectedCandidatePairId) pair = report.get(transport.selectedCandidatePairId);
      if (!pair) {
        report.forEach((entry) => {
          if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') pair = entry;
        });
      }
      if (!pair) return { connection: { remotePeerId, path: 'unknown' }, bytes: previous };
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      const relayed = (local && local.candidateType === 'relay') || (remote && remote.candidateType === 'relay');
      const now = performance.now();
      const bytes = { atMs: now, sent: pair.bytesSent || 0, received: pair.bytesReceived || 0 };
      const connection = { remotePeerId, path: relayed ? 'relay' : 'direct' };
      if (local && local.candidateType === 'relay' && local.relayProtocol) connection.relayProtocol = local.relayProtocol;
      if (local && local.candidateType) connection.localCandidateType = local.candidateType;
      if (remote && remote.candidateType) connection.remoteCandidateType = remote.candidateType;
      if (typeof pair.currentRoundTripTime === 'number') connection.rttMs = pair.currentRoundTripTime * 1000;
      if (previous && now > previous.atMs) {
        const seconds = (now - previous.atMs) / 1000;
        connection.bitrateOutBps = Math.max(0, ((bytes.sent - previous.sent) * 8) / seconds);
        connection.bitrateInBps = Math.max(0, ((bytes.received - previous.received) * 8) / seconds);
      }
      connection.lossRatio = 0;
      connection.jitterMs = 0;
      return { connection, bytes };
    });
  }

  window.parleyPeer = {
    start(options) {
      const state = { peerId: null, joined: false, open: false, bytesSent: 0, bytesReceived: 0, closed: null, roomClosed: null, errors: [], lastStats: null };
      window.parleyPeerState = state;
      const peers = new Map();
      let iceServers = [];
      const ws = new WebSocket(`${options.wsUrl}?access_token=${encodeURIComponent(options.token)}`);
      const send = (message) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      };

      function wireChannel(channel) {
        channel.binaryType = 'arraybuffer';
        channel.onopen = () => {
          state.open = true;
        };
        channel.onmessage = (event) => {
          state.bytesReceived += event.data.byteLength || event.data.length || 0;
        };
      }

      function peerFor(remotePeerId) {
        let entry = peers.get(remotePeerId);
        if (entry) return entry;
        const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: options.forceRelay ? 'relay' : 'all' });
        entry = { pc, channel: null, bytes: null };
        peers.set(remotePeerId, entry);
        pc.onicecandidate = (event) => {
          if (event.candidate) send({ type: 'signal', room: options.room, to: remotePeerId, payload: { kind: 'candidate', candidate: event.candidate.toJSON() } });
        };
        pc.ondatachannel = (event) => {
          entry.channel = event.channel;
          wireChannel(event.channel);
        };
        return entry;
      }

      async function call(remotePeerId) {
        const entry = peerFor(remotePeerId);
        entry.channel = entry.pc.createDataChannel('pump', { ordered: true });
        wireChannel(entry.channel);
        await entry.pc.setLocalDescription(await entry.pc.createOffer());
        send({ type: 'signal', room: options.room, to: remotePeerId, payload: { kind: 'description', description: entry.pc.localDescription.toJSON() } });
      }

      async function onSignal(from, payload) {
        const entry = peerFor(from);
        if (payload.kind === 'description') {
          await entry.pc.setRemoteDescription(payload.description);
          if (payload.description.type === 'offer') {
            await entry.pc.setLocalDescription(await entry.pc.createAnswer());
            send({ type: 'signal', room: options.room, to: from, payload: { kind: 'description', description: entry.pc.localDescription.toJSON() } });
          }
        } else if (payload.kind === 'candidate') {
          await entry.pc.addIceCandidate(payload.candidate).catch((error) => state.errors.push(String(error)));
        }
      }

      ws.onmessage = (event) => {
        const message = JSON.parse(event.data);
        switch (message.type) {
          case 'session':
            state.peerId = message.peerId;
            // Credentials fetched for the room (attributed to it on the relay) win over the session's.
            iceServers = options.iceServers || message.iceServers;
            send({ type: 'room.join', rid: 1, room: options.room, meta: { name: options.name } });
            break;
          case 'room.joined':
            state.joined = true;
            // The newcomer calls everyone already there; they answer.
            for (const peer of message.peers) call(peer.peerId).catch((error) => state.errors.push(String(error)));
            break;
          case 'signal':
            onSignal(message.from, message.payload).catch((error) => state.errors.push(String(error)));
            break;
          case 'room.closed':
            state.roomClosed = message.reason;
            break;
          case 'error':
            state.errors.push(message.code);
            break;
          default:
            break;
        }
      };
      ws.onclose = (event) => {
        state.closed = { code: event.code, reason: event.reason };
      };

      const pump = setInterval(() => {
        for (const entry of peers.values()) {
          const channel = entry.channel;
          if (!channel || channel.readyState !== 'open' || channel.bufferedAmount > MAX_BUFFERED_BYTES) continue;
          channel.send(new Uint8Array(CHUNK_BYTES));
          state.bytesSent += CHUNK_BYTES;
        }
      }, options.pumpIntervalMs);

      const reporter = setInterval(async () => {
        if (!state.joined) return;
        const connections = [];
        for (const [remotePeerId, entry] of peers) {
          const { connection, bytes } = await summarise(entry.pc, remotePeerId, entry.bytes);
          entry.bytes = bytes;
          connections.push(connection);
        }
        if (connections.length === 0) return;
        state.lastStats = connections;
        send({ type: 'stats', room: options.room, report: { connections } });
      }, options.statsIntervalMs);

      window.parleyPeerStop = () => {
        clearInterval(pump);
        clearInterval(reporter);
        for (const entry of peers.values()) entry.pc.close();
        ws.close();
      };
    },
  };
})();
