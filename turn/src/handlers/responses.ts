import { encodeErrorCode, encodePasswordAlgorithms, encodeText, encodeUnknownAttributes } from '../stun/attributes.js';
import {
  ATTR_ERROR_CODE,
  ATTR_NONCE,
  ATTR_PASSWORD_ALGORITHMS,
  ATTR_REALM,
  ATTR_SOFTWARE,
  ATTR_UNKNOWN_ATTRIBUTES,
  CLASS_ERROR,
  CLASS_SUCCESS,
} from '../stun/constants.js';
import { encodeStunMessage, type StunAttributeInput } from '../stun/encode.js';
import type { IntegrityAlgorithm } from '../stun/integrity.js';
import type { StunMessage } from '../stun/message.js';
import { OFFERED_PASSWORD_ALGORITHMS } from '../auth/authenticator.js';
import type { HandlerContext } from './context.js';

/** How a response is signed: the key and algorithm the request verified with (RFC 8489 §9.2.4). */
export interface ResponseSigning {
  key: Buffer;
  integrity: IntegrityAlgorithm;
}

function finish(context: HandlerContext, request: StunMessage, cls: 2 | 3, attributes: StunAttributeInput[], signing: ResponseSigning | null): Buffer {
  if (context.config.software !== '') attributes.push({ type: ATTR_SOFTWARE, value: encodeText(context.config.software) });
  return encodeStunMessage(
    { method: request.method, cls, transactionId: request.transactionId, attributes },
    {
      integrity: signing ? { key: signing.key, algorithm: signing.integrity } : undefined,
      // Answer with FINGERPRINT when the client used it (RFC 8489 §7.3: "if the request had one").
      fingerprint: request.fingerprintOffset !== -1,
    },
  );
}

export function successResponse(context: HandlerContext, request: StunMessage, attributes: StunAttributeInput[], signing: ResponseSigning | null): Buffer {
  return finish(context, request, CLASS_SUCCESS, attributes, signing);
}

export function errorResponse(context: HandlerContext, request: StunMessage, code: number, signing: ResponseSigning | null, extra: StunAttributeInput[] = []): Buffer {
  return finish(context, request, CLASS_ERROR, [{ type: ATTR_ERROR_CODE, value: encodeErrorCode(code) }, ...extra], signing);
}

/** 401 / 438 with a fresh NONCE, the REALM and PASSWORD-ALGORITHMS (RFC 8489 §9.2.4). */
export function challengeResponse(context: HandlerContext, request: StunMessage, code: number, clientIp: string, signing: ResponseSigning | null): Buffer {
  return errorResponse(context, request, code, signing, [
    { type: ATTR_REALM, value: encodeText(context.auth.realm) },
    { type: ATTR_NONCE, value: encodeText(context.auth.nonces.mint(clientIp, context.clock.nowMs())) },
    { type: ATTR_PASSWORD_ALGORITHMS, value: encodePasswordAlgorithms(OFFERED_PASSWORD_ALGORITHMS) },
  ]);
}

/** 420 listing the comprehension-required attributes this server does not understand (§14.9). */
export function unknownAttributesResponse(context: HandlerContext, request: StunMessage, unknown: number[], signing: ResponseSigning | null): Buffer {
  return errorResponse(context, request, 420, signing, [{ type: ATTR_UNKNOWN_ATTRIBUTES, value: encodeUnknownAttributes(unknown) }]);
}
