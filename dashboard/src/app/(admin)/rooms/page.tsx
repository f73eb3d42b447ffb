import type { ListRoomsQuery } from '@parley/protocol';
import type { Metadata } from 'next';
import Link from 'next/link';
import { loadForPage } from '../../../admin-api/for-request';
import { ROOM_PAGE_SIZES, roomsHref, roomsQueryFromSearchParams } from '../../../admin-api/rooms-query';
import { formatAgo, formatCount, formatUtc } from '../../../format/format';
import { PageFailureBanner } from '../../../ui/page-failure';
import { QualityBar } from '../../../ui/quality-bar';
import { CreateRoomForm } from './create-room-form';

export const metadata: Metadata = { title: 'Rooms' };

type SearchParams = Record<string, string | string[] | undefined>;

function SortHeader({ query, sortKey, label, className }: { query: ListRoomsQuery; sortKey: ListRoomsQuery['sort']; label: string; className?: string }) {
  const active = query.sort === sortKey;
  const order = active && query.order === 'desc' ? 'asc' : 'desc';
  return (
    <th className={className} aria-sort={active ? (query.order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link href={roomsHref(query, { sort: sortKey, order, offset: 0 })} data-testid={`sort-${sortKey}`}>
        {label}
        {active ? (query.order === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
}

export default async function RoomsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const query = roomsQueryFromSearchParams(params);
  const load = await loadForPage((api) => api.listRooms(query));
  const nowMs = Date.now();
  const closed = typeof params.closed === 'string' ? params.closed : undefined;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Rooms</h1>
          <div className="sub">{load.ok ? `${formatCount(load.data.total)} room(s)${query.q ? ` matching “${query.q}”` : ''}` : 'Search, sort and open a room'}</div>
        </div>
        <CreateRoomForm />
      </div>
      {closed ? (
        <div className="notice" data-testid="room-closed-notice">
          Room <strong>{closed}</strong> closed; its peers were told <code>room.closed</code>.
        </div>
      ) : null}
      <section className="panel">
        <form className="inline" action="/rooms" method="get" role="search" style={{ marginBottom: 12 }}>
          <input type="search" name="q" defaultValue={query.q ?? ''} placeholder="search room names" maxLength={128} aria-label="search room names" data-testid="rooms-search" />
          <input type="hidden" name="sort" value={query.sort} />
          <input type="hidden" name="order" value={query.order} />
          <select name="limit" defaultValue={String(query.limit)} aria-label="rooms per page">
            {ROOM_PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size} per page
              </option>
            ))}
          </select>
          <button className="btn" type="submit" data-testid="rooms-search-submit">
            Search
          </button>
        </form>
        {load.ok ? (
          <>
            <div className="table-wrap">
              <table data-testid="rooms-table" data-total={load.data.total}>
                <thead>
                  <tr>
                    <SortHeader query={query} sortKey="name" label="Room" />
                    <SortHeader query={query} sortKey="peers" label="Peers" className="num" />
                    <th className="num">Relayed</th>
                    <SortHeader query={query} sortKey="quality" label="Quality" />
                    <SortHeader query={query} sortKey="createdAt" label="Created" />
                  </tr>
                </thead>
                <tbody>
                  {load.data.rooms.map((room) => (
                    <tr key={room.name} data-testid="room-row" data-room={room.name} data-peers={room.peerCount}>
                      <td>
                        <Link href={`/rooms/${encodeURIComponent(room.name)}`}>{room.name}</Link>
                      </td>
                      <td className="num" data-testid="room-peer-count">
                        {room.peerCount} / {room.maxPeers}
                      </td>
                      <td className="num">{room.relayedPeerCount}</td>
                      <td>
                        <QualityBar quality={room.quality} />
                      </td>
                      <td title={formatUtc(room.createdAtMs)}>{formatAgo(room.createdAtMs, nowMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {load.data.rooms.length === 0 ? <div className="empty">No rooms{query.q ? ' match this search' : ' yet'}.</div> : null}
            </div>
            <div className="pager">
              <span data-testid="rooms-range">
                {load.data.total === 0 ? 'none' : `${formatCount(load.data.offset + 1)}–${formatCount(load.data.offset + load.data.rooms.length)} of ${formatCount(load.data.total)}`}
              </span>
              <span className="inline" style={{ display: 'flex', gap: 8 }}>
                {load.data.offset > 0 ? (
                  <Link className="btn small" href={roomsHref(query, { offset: Math.max(0, load.data.offset - load.data.limit) })} data-testid="rooms-prev">
                    ← Previous
                  </Link>
                ) : null}
                {load.data.offset + load.data.rooms.length < load.data.total ? (
                  <Link className="btn small" href={roomsHref(query, { offset: load.data.offset + load.data.limit })} data-testid="rooms-next">
                    Next →
                  </Link>
                ) : null}
              </span>
            </div>
          </>
        ) : (
          <PageFailureBanner failure={load.failure} />
        )}
      </section>
    </>
  );
}
