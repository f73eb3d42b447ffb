import type { ClientMessageType, RequestId } from '@parley/protocol';
import type { Cluster } from '../../cluster/index.js';
import type { SignalConfig } from '../../config/index.js';
import type { SignalMetrics } from '../../observability/index.js';
import type { Clock } from '../../time/clock.js';
import type { DecodedMessageOf } from '../../wire/decode.js';
import type { Utf8Bytes } from '../../wire/frame.js';
import type { PeerSession } from '../peer-session.js';

/** What message handlers may use. */
export interface SessionServices {
  readonly config: Readonly<SignalConfig>;
  readonly clock: Clock;
  readonly cluster: Cluster;
  readonly metrics: SignalMetrics;
  isDraining(): boolean;
}

/**
 * Handles one validated client message. Returning a promise makes the session queue its later
 * messages until the promise settles, so a client's messages are always handled in order.
 * Every message with a `rid` gets exactly one answer: its natural reply, an ack, or an error.
 */
export type Handler<T extends ClientMessageType> = (
  session: PeerSession,
  message: DecodedMessageOf<T>,
  rid: RequestId | undefined,
  services: SessionServices,
  /** The bytes of the JSON of the message's opaque value (signal payload, broadcast/direct data) as the client sent them, for relaying byte for byte; '' for other types. */
  opaque: Utf8Bytes,
) => void | Promise<void>;
