import { WS_PATH } from '@parley/protocol';

/**
 * The WebSocket URL for a signal server. Accepts what an app naturally has: the page origin
 * (`https://parley.example.com`), a ws(s) URL, or the full endpoint URL. The token travels as
 * `access_token` (browsers cannot set headers on a WebSocket); a resume token asks the server to
 * continue an earlier session.
 */
export function socketUrl(base: string, accessToken: string, resumeToken?: string): string {
  const url = new URL(base, globalThis.location?.href);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError(`unsupported signal server URL scheme: ${url.protocol}`);
  if (!url.pathname.endsWith(WS_PATH)) url.pathname = url.pathname.replace(/\/+$/, '') + WS_PATH;
  url.searchParams.set('access_token', accessToken);
  if (resumeToken) url.searchParams.set('resume', resumeToken);
  else url.searchParams.delete('resume');
  return url.toString();
}
