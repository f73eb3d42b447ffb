import type { ReactNode } from 'react';
import { dashboardRuntime } from '../../runtime/dashboard-runtime';
import { requireSession } from '../../session/session';
import { LiveIndicator, LiveProvider } from '../../ui/live';
import { NavLink } from '../../ui/nav-link';
import { logout } from '../login/actions';

/** Every page behind the login: the session is checked here before any page renders. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  const { config } = dashboardRuntime();
  return (
    <LiveProvider refreshIntervalMs={config.live.refreshIntervalMs}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            Parley<small>admin dashboard</small>
          </div>
          <NavLink href="/">Overview</NavLink>
          <NavLink href="/rooms">Rooms</NavLink>
          <NavLink href="/turn">TURN</NavLink>
          <NavLink href="/cluster">Cluster & health</NavLink>
          <div className="sidebar-foot">
            <LiveIndicator />
            <span data-testid="session-user" title="logged in as">
              {session.userId}
            </span>
            <form action={logout}>
              <button className="btn small" type="submit" data-testid="logout">
                Log out
              </button>
            </form>
          </div>
        </nav>
        <main className="main">{children}</main>
      </div>
    </LiveProvider>
  );
}
