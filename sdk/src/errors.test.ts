import { ERRORS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERRORS, errorForClose, ParleyError } from './errors.js';

describe('ParleyError', () => {
  it("maps Parley's WebSocket close codes to their wire error code", () => {
    expect(errorForClose(4412, '').code).toBe('TOKEN_EXPIRED');
    expect(errorForClose(4440, 'bye').code).toBe('KICKED');
    expect(errorForClose(4503, '').code).toBe('DRAINING');
  });

  it('treats any other close (abnormal 1006, going away 1001) as a retryable lost connection', () => {
    for (const code of [1000, 1001, 1006, 1011]) expect(errorForClose(code, '')).toMatchObject({ code: 'CONNECTION_FAILED', retryable: true });
  });

  it('takes retryability from the server table for wire codes and from the client table otherwise', () => {
    expect(new ParleyError('ROOM_FULL').retryable).toBe(ERRORS.ROOM_FULL.retryable);
    expect(new ParleyError('TOKEN_BAD_SIGNATURE').retryable).toBe(false);
    expect(new ParleyError('FILE_CORRUPTED').retryable).toBe(CLIENT_ERRORS.FILE_CORRUPTED.retryable);
  });

  it('keeps client codes apart from wire codes', () => {
    for (const code of Object.keys(CLIENT_ERRORS)) expect(Object.keys(ERRORS)).not.toContain(code);
  });
});
