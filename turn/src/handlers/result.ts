import type { Authenticated } from '../auth/authenticator.js';
import type { ClientLink } from '../allocation/ports.js';
import type { StunMessage } from '../stun/message.js';
import type { HandlerContext } from './context.js';
import { errorResponse, successResponse } from './responses.js';
import type { StunAttributeInput } from '../stun/encode.js';

/** What a request handler answers: the STUN code (200 for success) and the bytes to send. */
export interface HandlerResult {
  code: number;
  response: Buffer;
}

/** An authenticated request handler (Allocate, Refresh, CreatePermission, ChannelBind). */
export type RequestHandler = (context: HandlerContext, link: ClientLink, request: StunMessage, auth: Authenticated) => HandlerResult | Promise<HandlerResult | null> | null;

export function ok(context: HandlerContext, request: StunMessage, auth: Authenticated, attributes: StunAttributeInput[]): HandlerResult {
  return { code: 200, response: successResponse(context, request, attributes, auth) };
}

export function fail(context: HandlerContext, request: StunMessage, auth: Authenticated, code: number, extra: StunAttributeInput[] = []): HandlerResult {
  return { code, response: errorResponse(context, request, code, auth, extra) };
}
