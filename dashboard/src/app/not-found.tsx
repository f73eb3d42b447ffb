import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="login">
      <div className="panel" data-testid="not-found">
        <h1>Not found</h1>
        <p>There is no such page in the Parley dashboard.</p>
        <Link className="btn" href="/">
          Overview
        </Link>
      </div>
    </main>
  );
}
