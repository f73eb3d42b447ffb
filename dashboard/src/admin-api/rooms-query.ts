import { ListRoomsQuery, RoomSortKey } from '@parley/protocol';

/** Page sizes the rooms page offers. */
export const ROOM_PAGE_SIZES = [25, 50, 100, 200] as const;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The rooms page's URL (?q=&sort=&order=&offset=&limit=) as an admin API query. Each parameter is
 * checked on its own against the protocol schema; a bad one falls back to its default rather than
 * failing the page, so hand-edited URLs still show rooms.
 */
export function roomsQueryFromSearchParams(params: SearchParams): ListRoomsQuery {
  const defaults = ListRoomsQuery.parse({});
  const pick = <K extends keyof ListRoomsQuery>(key: K): ListRoomsQuery[K] => {
    const raw = first(params[key]);
    if (raw === undefined || raw === '') return defaults[key];
    const parsed = ListRoomsQuery.safeParse({ [key]: raw });
    return parsed.success ? parsed.data[key] : defaults[key];
  };
  const query: ListRoomsQuery = { sort: pick('sort'), order: pick('order'), offset: pick('offset'), limit: pick('limit') };
  const q = pick('q')?.trim();
  if (q) query.q = q;
  return query;
}

/** The rooms page URL for a query, with only the parameters that differ from the defaults. */
export function roomsHref(query: ListRoomsQuery, change: Partial<ListRoomsQuery> = {}): string {
  const next = { ...query, ...change };
  const defaults = ListRoomsQuery.parse({});
  const search = new URLSearchParams();
  if (next.q) search.set('q', next.q);
  if (next.sort !== defaults.sort) search.set('sort', next.sort);
  if (next.order !== defaults.order) search.set('order', next.order);
  if (next.offset !== defaults.offset) search.set('offset', String(next.offset));
  if (next.limit !== defaults.limit) search.set('limit', String(next.limit));
  const text = search.toString();
  return text === '' ? '/rooms' : `/rooms?${text}`;
}

export const ROOM_SORT_KEYS = RoomSortKey.options;
