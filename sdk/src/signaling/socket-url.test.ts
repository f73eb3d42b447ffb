import { describe, expect, it } from 'vitest';
import { socketUrl } from './socket-url.js';

describe('socketUrl', () => {
  it('turns a page origin into the versioned WebSocket endpoint with the token', () => {
    const url = new URL(socketUrl('https://parley.example.com', 'abc.def.ghi'));
    expect(url.protocol).toBe('wss:');
    expect(url.pathname).toBe('/v1/ws');
    expect(url.searchParams.get('access_token')).toBe('abc.def.ghi');
    expect(url.searchParams.has('resume')).toBe(false);
  });

  it('keeps a path prefix and an explicit endpoint as they are', () => {
    expect(new URL(socketUrl('http://127.0.0.1:8080/parley/', 't')).pathname).toBe('/parley/v1/ws');
    expect(new URL(socketUrl('ws://127.0.0.1:8080/v1/ws', 't')).pathname).toBe('/v1/ws');
  });

  it('adds the resume token when reconnecting', () => {
    expect(new URL(socketUrl('ws://h/v1/ws', 't', 'r-1')).searchParams.get('resume')).toBe('r-1');
  });

  it('refuses schemes other than http(s) and ws(s)', () => {
    expect(() => socketUrl('ftp://h', 't')).toThrow(TypeError);
  });
});
