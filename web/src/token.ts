import { ParleyError } from '@parley/sdk';

/**
 * Where the lobby gets an access token: a token given in the link (`?token=`) or pasted in the
 * lobby wins; otherwise the development token endpoint that `parley up` enables
 * (`POST /v1/dev/token`). Production servers leave that endpoint off (404), and the lobby then
 * asks for a token.
 */
export const DEV_TOKEN_PATH = '/v1/dev/token';

export type TokenOutcome = { kind: 'token'; token: string } | { kind: 'needs-token' };

export async function obtainToken(options: { serverUrl: string; room: string; userId: string; given?: string | undefined }): Promise<TokenOutcome> {
  const given = options.given?.trim();
  if (given) return { kind: 'token', token: given };
  let response: Response;
  try {
    response = await fetch(new URL(DEV_TOKEN_PATH, options.serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ room: options.room, userId: options.userId }),
    });
  } catch (cause) {
    throw new ParleyError('CONNECTION_FAILED', 'the server did not answer', { cause });
  }
  if (response.status === 404) return { kind: 'needs-token' };
  // Success is `{ token, expiresAt }`; errors are the server's `{ error: { code, message? } }`.
  const body = (await response.json().catch(() => null)) as { token?: unknown; error?: { code?: unknown } } | null;
  if (!response.ok || typeof body?.token !== 'string') {
    const code = typeof body?.error?.code === 'string' ? body.error.code : 'INVALID_REQUEST';
    throw new ParleyError(code as ParleyError['code'], `token endpoint answered ${response.status}`);
  }
  return { kind: 'token', token: body.token };
}

/** Takes `?token=` out of the address bar once read, so it is not shared or bookmarked by accident. */
export function takeTokenFromUrl(location: Location, history: History): string | undefined {
  const url = new URL(location.href);
  const token = url.searchParams.get('token') ?? undefined;
  if (token) {
    url.searchParams.delete('token');
    history.replaceState(null, '', url.toString());
  }
  return token;
}

/** A readable, unique-enough user id for development tokens: "ada-3f9c". */
export function devUserId(displayName: string): string {
  const slug = displayName.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'guest';
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(2)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${slug}-${suffix}`;
}
