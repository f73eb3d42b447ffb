import type { ClientLink } from '../allocation/ports.js';
import { SendIndicationReader } from '../proto/send-indication.js';
import { DROP_NO_ALLOCATION, DROP_NOT_STUN_OR_CHANNEL_DATA } from '../relay/counters.js';
import {
  ATTR_CHANNEL_NUMBER,
  ATTR_DATA,
  ATTR_DONT_FRAGMENT,
  ATTR_ERROR_CODE,
  ATTR_EVEN_PORT,
  ATTR_LIFETIME,
  ATTR_MAPPED_ADDRESS,
  ATTR_MESSAGE_INTEGRITY,
  ATTR_MESSAGE_INTEGRITY_SHA256,
  ATTR_NONCE,
  ATTR_PASSWORD_ALGORITHM,
  ATTR_REALM,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_RESERVATION_TOKEN,
  ATTR_UNKNOWN_ATTRIBUTES,
  ATTR_USERHASH,
  ATTR_USERNAME,
  ATTR_XOR_MAPPED_ADDRESS,
  ATTR_XOR_PEER_ADDRESS,
  ATTR_XOR_RELAYED_ADDRESS,
  CLASS_INDICATION,
  CLASS_REQUEST,
  ERROR_BAD_REQUEST,
  isComprehensionRequired,
  METHOD_ALLOCATE,
  METHOD_BINDING,
  METHOD_CHANNEL_BIND,
  METHOD_CREATE_PERMISSION,
  METHOD_REFRESH,
  METHOD_SEND,
} from '../stun/constants.js';
import { decodeStunMessage, type StunMessage } from '../stun/message.js';
import { handleAllocate } from './allocate.js';
import { handleBinding } from './binding.js';
import { handleChannelBind } from './channel-bind.js';
import { methodName, type HandlerContext } from './context.js';
import { handleCreatePermission } from './create-permission.js';
import { handleRefresh } from './refresh.js';
import { challengeResponse, errorResponse, unknownAttributesResponse } from './responses.js';
import type { HandlerResult, RequestHandler } from './result.js';
import { handleSendIndication } from './send.js';

/** Comprehension-required attributes this server understands; any other one in a request earns 420. */
const KNOWN_REQUIRED_ATTRIBUTES = new Set([
  ATTR_MAPPED_ADDRESS,
  ATTR_USERNAME,
  ATTR_MESSAGE_INTEGRITY,
  ATTR_ERROR_CODE,
  ATTR_UNKNOWN_ATTRIBUTES,
  ATTR_CHANNEL_NUMBER,
  ATTR_LIFETIME,
  ATTR_XOR_PEER_ADDRESS,
  ATTR_DATA,
  ATTR_REALM,
  ATTR_NONCE,
  ATTR_XOR_RELAYED_ADDRESS,
  ATTR_REQUESTED_ADDRESS_FAMILY,
  ATTR_EVEN_PORT,
  ATTR_REQUESTED_TRANSPORT,
  ATTR_DONT_FRAGMENT,
  ATTR_MESSAGE_INTEGRITY_SHA256,
  ATTR_PASSWORD_ALGORITHM,
  ATTR_USERHASH,
  ATTR_XOR_MAPPED_ADDRESS,
  ATTR_RESERVATION_TOKEN,
]);

const AUTHENTICATED_HANDLERS: ReadonlyMap<number, RequestHandler> = new Map<number, RequestHandler>([
  [METHOD_ALLOCATE, handleAllocate],
  [METHOD_REFRESH, handleRefresh],
  [METHOD_CREATE_PERMISSION, handleCreatePermission],
  [METHOD_CHANNEL_BIND, handleChannelBind],
]);

function unknownRequiredAttributes(message: StunMessage): number[] {
  const unknown: number[] = [];
  for (const attribute of message.attributes) {
    if (isComprehensionRequired(attribute.type) && !KNOWN_REQUIRED_ATTRIBUTES.has(attribute.type) && !unknown.includes(attribute.type)) unknown.push(attribute.type);
  }
  return unknown;
}

/**
 * The control plane: one STUN message from a client in, at most one response out through the
 * client's link. Every outcome is counted; nothing here throws for any input bytes.
 */
export class ControlPlane {
  /** The Send indications of clients that relay without channels, read without the generic decoder. */
  private readonly sendReader = new SendIndicationReader();

  constructor(private readonly context: HandlerContext) {}

  /** Handles one STUN message (a datagram, or a frame of a stream). */
  handle(link: ClientLink, bytes: Buffer): void {
    // Send indications are most of what a channel-less client sends: the common shape is read in
    // place, and whatever the reader declines gets the generic decoder below, with the same outcome.
    const reader = this.sendReader;
    if (reader.read(bytes)) {
      const allocation = link.allocation;
      if (allocation === null) this.context.relay.counters.drops[DROP_NO_ALLOCATION]!++;
      else this.context.relay.fromClientSend(allocation, reader.peerAddress, reader.peerPort, bytes.subarray(reader.dataOffset, reader.dataOffset + reader.dataLength));
      return;
    }
    const decoded = decodeStunMessage(bytes);
    if (!decoded.ok) {
      // RFC 8489 §6.3: messages that fail these checks are "silently discarded".
      this.context.relay.counters.drops[DROP_NOT_STUN_OR_CHANNEL_DATA]!++;
      this.context.events.malformed(decoded.reason);
      return;
    }
    const message = decoded.message;
    if (message.cls === CLASS_INDICATION) {
      if (message.method === METHOD_SEND) {
        if (!link.allocation) this.context.relay.counters.drops[DROP_NO_ALLOCATION]!++;
        // §6.3.2: an indication with unknown comprehension-required attributes is discarded.
        else if (unknownRequiredAttributes(message).length === 0) handleSendIndication(this.context, link, message);
      }
      return;
    }
    if (message.cls !== CLASS_REQUEST) return; // responses are not for a server
    const outcome = this.handleRequest(link, message);
    if (outcome instanceof Promise) {
      outcome.then(
        (result) => this.answer(link, message, result),
        (error: unknown) => this.failed(link, message, error),
      );
    } else {
      this.answer(link, message, outcome);
    }
  }

  private handleRequest(link: ClientLink, message: StunMessage): HandlerResult | Promise<HandlerResult | null> | null {
    const context = this.context;
    if (message.method === METHOD_BINDING) {
      const unknown = unknownRequiredAttributes(message);
      if (unknown.length > 0) return { code: 420, response: unknownAttributesResponse(context, message, unknown, null) };
      return handleBinding(context, link, message);
    }
    const handler = AUTHENTICATED_HANDLERS.get(message.method);
    // RFC 8489 §6.3.1: a request whose method the server does not know gets 400.
    if (!handler) return { code: ERROR_BAD_REQUEST, response: errorResponse(context, message, ERROR_BAD_REQUEST, null) };
    const auth = context.auth.authenticate(message, link.address, context.clock.nowMs(), message.method === METHOD_ALLOCATE);
    if (!auth.ok) {
      context.events.authFailure(auth.reason);
      if (auth.code === ERROR_BAD_REQUEST) return { code: auth.code, response: errorResponse(context, message, auth.code, null) };
      const signing = auth.key && auth.integrity ? { key: auth.key, integrity: auth.integrity } : null;
      return { code: auth.code, response: challengeResponse(context, message, auth.code, link.address, signing) };
    }
    // RFC 8489 §6.3.1 (after the authentication checks): unknown comprehension-required attributes → 420.
    const unknown = unknownRequiredAttributes(message);
    if (unknown.length > 0) return { code: 420, response: unknownAttributesResponse(context, message, unknown, auth) };
    return handler(context, link, message, auth);
  }

  private answer(link: ClientLink, message: StunMessage, result: HandlerResult | null): void {
    if (!result) return;
    this.context.events.request(methodName(message.method), result.code);
    link.send(result.response);
  }

  private failed(link: ClientLink, message: StunMessage, error: unknown): void {
    this.context.events.request(methodName(message.method), 500);
    this.context.events.internalError(error);
    link.send(errorResponse(this.context, message, 500, null));
  }
}
