import { CHAT_CHANNEL_LABEL, decodeChat, encodeChat, type ChatFrame } from '../data/chat.js';
import { FILE_CHANNEL_PREFIX } from '../data/file-frames.js';
import { Emitter } from '../emitter.js';
import { ParleyError } from '../errors.js';
import { parseSignalPayload, type SignalPayload } from './signal-payload.js';

/**
 * One RTCPeerConnection to one remote peer, negotiated with the W3C "perfect negotiation" pattern
 * (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): either side may start a
 * negotiation at any time (adding a track, restarting ICE); when two offers cross, the impolite
 * side ignores the other's offer and the polite side rolls its own back. The server decides who
 * is polite, so the two ends always disagree correctly.
 */
export interface LocalTrack {
  track: MediaStreamTrack;
  stream: MediaStream;
}

export interface PeerLinkOptions {
  remotePeerId: string;
  /** Our role towards this peer, from the server's `polite` flag. */
  polite: boolean;
  configuration: RTCConfiguration;
  sendSignal(payload: SignalPayload): void;
  /** Tracks to send from the start. */
  localTracks: Iterable<LocalTrack>;
  /** How long `disconnected` may last before ICE is restarted. */
  iceDisconnectedGraceMs: number;
  /** ICE restarts in a row without reconnecting before ICE_FAILED is reported. */
  maxIceRestarts: number;
}

export interface NegotiationInfo {
  /** Our description type that was applied or sent. */
  event: 'offer-sent' | 'answer-sent' | 'offer-received' | 'answer-received' | 'offer-ignored' | 'rolled-back';
  /** Two offers crossed (glare). */
  collision: boolean;
}

export interface PeerLinkEvents {
  state: RTCPeerConnectionState;
  chat: ChatFrame;
  'chat.open': void;
  track: { track: MediaStreamTrack; streams: readonly MediaStream[] };
  'track.removed': { track: MediaStreamTrack; stream: MediaStream };
  'file.channel': RTCDataChannel;
  datachannel: RTCDataChannel;
  negotiation: NegotiationInfo;
  'ice.restart': { reason: 'failed' | 'disconnected' | 'requested' };
  'ice.candidate-error': { url: string; errorCode: number; errorText: string };
  error: ParleyError;
}

export class PeerLink extends Emitter<PeerLinkEvents> {
  readonly remotePeerId: string;
  readonly polite: boolean;
  readonly pc: RTCPeerConnection;
  #options: PeerLinkOptions;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #signals: Promise<void> = Promise.resolve();
  #chat: RTCDataChannel | null = null;
  #senders = new Map<MediaStreamTrack, RTCRtpSender>();
  #disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  #restartsWithoutSuccess = 0;
  #closed = false;

  constructor(options: PeerLinkOptions) {
    super();
    this.#options = options;
    this.remotePeerId = options.remotePeerId;
    this.polite = options.polite;
    const pc = new RTCPeerConnection(options.configuration);
    this.pc = pc;
    pc.onnegotiationneeded = () => {
      // The newcomer (impolite) always makes the first offer: it opens the chat channel. Were we
      // to offer too (our tracks need negotiating), the offers would cross and we would roll ours
      // back; Chromium then sometimes never gathers for the answer (no TURN allocation at all),
      // so the pair never connects. We wait instead: once the first exchange is done and the state
      // is stable again, the browser fires negotiationneeded anew ("update the negotiation-needed
      // flag", W3C webrtc-pc §4.7) and our tracks go in an offer of their own.
      if (this.polite && !this.pc.remoteDescription) return;
      void this.#negotiate();
    };
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate || !candidate.candidate) return;
      this.#send({ kind: 'candidate', candidate: candidate.toJSON() });
    };
    pc.onicecandidateerror = (event) => {
      const error = event as RTCPeerConnectionIceErrorEvent;
      this.emit('ice.candidate-error', { url: error.url, errorCode: error.errorCode, errorText: error.errorText });
    };
    pc.onconnectionstatechange = () => this.#onConnectionState();
    pc.ontrack = ({ track, streams }) => {
      for (const stream of streams) {
        stream.addEventListener('removetrack', (event) => {
          if (event.track === track) this.emit('track.removed', { track, stream });
        });
      }
      this.emit('track', { track, streams });
    };
    pc.ondatachannel = ({ channel }) => this.#adoptChannel(channel);
    for (const { track, stream } of options.localTracks) this.addTrack(track, stream);
    // The newcomer (impolite towards everyone already there) opens the data channels, so the
    // first negotiation of a pair normally has one offerer and no glare.
    if (!options.polite) this.#adoptChat(pc.createDataChannel(CHAT_CHANNEL_LABEL, { ordered: true }));
  }

  get connectionState(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  get chatOpen(): boolean {
    return this.#chat?.readyState === 'open';
  }

  /** Handles one `signal` payload from the remote peer, in arrival order. */
  handleSignal(raw: unknown): void {
    const payload = parseSignalPayload(raw);
    if (!payload) {
      this.emit('error', new ParleyError('INVALID_MESSAGE', `malformed signal from ${this.remotePeerId}`));
      return;
    }
    this.#signals = this.#signals.then(() => this.#applySignal(payload)).catch((cause: unknown) => {
      if (!this.#closed) this.emit('error', new ParleyError('INVALID_MESSAGE', `signal from ${this.remotePeerId} could not be applied`, { cause }));
    });
  }

  sendChat(frame: ChatFrame): boolean {
    if (!this.chatOpen) return false;
    this.#chat!.send(encodeChat(frame));
    return true;
  }

  /** Opens a channel for one outgoing file. */
  openFileChannel(transferId: string): RTCDataChannel {
    return this.pc.createDataChannel(FILE_CHANNEL_PREFIX + transferId, { ordered: true });
  }

  addTrack(track: MediaStreamTrack, stream: MediaStream): void {
    if (this.#senders.has(track) || this.#closed) return;
    this.#senders.set(track, this.pc.addTrack(track, stream));
  }

  removeTrack(track: MediaStreamTrack): void {
    const sender = this.#senders.get(track);
    if (!sender) return;
    this.#senders.delete(track);
    if (!this.#closed) this.pc.removeTrack(sender);
  }

  restartIce(reason: 'failed' | 'disconnected' | 'requested' = 'requested'): void {
    if (this.#closed) return;
    this.emit('ice.restart', { reason });
    this.pc.restartIce();
  }

  /** Applies new TURN credentials; they are used by the next gathering (ICE restart, new allocations). */
  setIceServers(iceServers: RTCIceServer[]): void {
    if (this.#closed) return;
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#disconnectedTimer);
    this.#chat?.close();
    this.pc.close();
    this.emit('state', 'closed');
    this.removeAllListeners();
  }

  // ---- perfect negotiation

  async #negotiate(): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      const description = this.pc.localDescription;
      if (description && !this.#closed) {
        this.#send({ kind: 'description', description: description.toJSON() });
        this.emit('negotiation', { event: description.type === 'offer' ? 'offer-sent' : 'answer-sent', collision: false });
      }
    } catch (cause) {
      if (!this.#closed) this.emit('error', new ParleyError('INVALID_MESSAGE', 'could not create an offer', { cause }));
    } finally {
      this.#makingOffer = false;
    }
  }

  async #applySignal(payload: SignalPayload): Promise<void> {
    if (this.#closed) return;
    const pc = this.pc;
    if (payload.kind === 'candidate') {
      try {
        await pc.addIceCandidate(payload.candidate);
      } catch (error) {
        // Candidates of an offer we ignored belong to a negotiation that never happened here.
        if (!this.#ignoreOffer) throw error;
      }
      return;
    }
    const { description } = payload;
    // An offer collides when we are making one ourselves or are not stable, unless what keeps us
    // from being stable is an answer we are applying right now.
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const collision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.polite && collision;
    if (this.#ignoreOffer) {
      this.emit('negotiation', { event: 'offer-ignored', collision: true });
      return;
    }
    this.#isSettingRemoteAnswerPending = description.type === 'answer';
    // On the polite side, setting a colliding remote offer rolls our own offer back implicitly.
    await pc.setRemoteDescription(description);
    this.#isSettingRemoteAnswerPending = false;
    if (collision) this.emit('negotiation', { event: 'rolled-back', collision: true });
    if (description.type === 'offer') {
      this.emit('negotiation', { event: 'offer-received', collision });
      await pc.setLocalDescription();
      const answer = pc.localDescription;
      if (answer && !this.#closed) {
        this.#send({ kind: 'description', description: answer.toJSON() });
        this.emit('negotiation', { event: 'answer-sent', collision });
      }
    } else {
      this.emit('negotiation', { event: 'answer-received', collision: false });
    }
  }

  #send(payload: SignalPayload): void {
    if (!this.#closed) this.#options.sendSignal(payload);
  }

  // ---- connection health

  #onConnectionState(): void {
    const state = this.pc.connectionState;
    if (this.#closed) return;
    clearTimeout(this.#disconnectedTimer);
    if (state === 'connected') {
      this.#restartsWithoutSuccess = 0;
    } else if (state === 'failed') {
      this.#restartAfterTrouble('failed');
    } else if (state === 'disconnected') {
      // Often a short glitch that ICE repairs by itself; restart only if it lasts.
      this.#disconnectedTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.#restartAfterTrouble('disconnected');
      }, this.#options.iceDisconnectedGraceMs);
    }
    this.emit('state', state);
  }

  #restartAfterTrouble(reason: 'failed' | 'disconnected'): void {
    this.#restartsWithoutSuccess++;
    if (this.#restartsWithoutSuccess === this.#options.maxIceRestarts + 1) {
      this.emit('error', new ParleyError('ICE_FAILED', `connection to ${this.remotePeerId} did not recover after ${this.#options.maxIceRestarts} ICE restarts`));
    }
    this.restartIce(reason);
  }

  // ---- data channels

  #adoptChannel(channel: RTCDataChannel): void {
    if (channel.label === CHAT_CHANNEL_LABEL) this.#adoptChat(channel);
    else if (channel.label.startsWith(FILE_CHANNEL_PREFIX)) this.emit('file.channel', channel);
    else this.emit('datachannel', channel);
  }

  #adoptChat(channel: RTCDataChannel): void {
    this.#chat = channel;
    channel.onopen = () => this.emit('chat.open', undefined);
    channel.onmessage = (event) => {
      const frame = decodeChat(event.data);
      if (frame) this.emit('chat', frame);
    };
  }
}
