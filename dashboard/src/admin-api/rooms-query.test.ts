import { describe, expect, it } from 'vitest';
import { roomsHref, roomsQueryFromSearchParams } from './rooms-query';

describe('rooms page query', () => {
  it('uses the protocol defaults when the URL has no parameters', () => {
    expect(roomsQueryFromSearchParams({})).toEqual({ sort: 'createdAt', order: 'desc', offset: 0, limit: 50 });
  });

  it('reads search, sort, order and paging from the URL', () => {
    expect(roomsQueryFromSearchParams({ q: ' stand ', sort: 'peers', order: 'asc', offset: '100', limit: '25' })).toEqual({
      q: 'stand',
      sort: 'peers',
      order: 'asc',
      offset: 100,
      limit: 25,
    });
  });

  it('falls back per parameter when one is out of bounds or unknown', () => {
    expect(roomsQueryFromSearchParams({ sort: 'bogus', order: 'up', offset: '-5', limit: '100000', extra: 'x' })).toEqual({
      sort: 'createdAt',
      order: 'desc',
      offset: 0,
      limit: 50,
    });
    expect(roomsQueryFromSearchParams({ q: 'x'.repeat(200) })).not.toHaveProperty('q');
  });

  it('writes URLs with only the parameters that differ from the defaults', () => {
    const query = roomsQueryFromSearchParams({ q: 'a b', sort: 'name' });
    expect(roomsHref(query)).toBe('/rooms?q=a+b&sort=name');
    expect(roomsHref(query, { offset: 50 })).toBe('/rooms?q=a+b&sort=name&offset=50');
    expect(roomsHref(roomsQueryFromSearchParams({}))).toBe('/rooms');
  });
});
