import Link from 'next/link';

export default function RoomNotFound() {
  return (
    <section className="panel" data-testid="room-not-found">
      <h1>Room not found</h1>
      <p>This room does not exist (any more): it may have been closed by an administrator, by a timeout, or when its last peer left.</p>
      <Link className="btn" href="/rooms">
        Back to rooms
      </Link>
    </section>
  );
}
