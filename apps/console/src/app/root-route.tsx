import { createRootRoute, Link, Outlet } from '@tanstack/react-router';
import { useAuth } from '../api/auth.js';
import { Empty } from '../ui/states.js';

/** The frame of every page: the three pages' navigation, who is signed in, sign out. */
function Layout() {
  const { state, signOut } = useAuth();
  return (
    <>
      <header className="top-bar">
        <span className="brand">Run Hub admin</span>
        <nav aria-label="Pages">
          <Link to="/workflows">Workflows</Link>
          <Link to="/business-events">Business events</Link>
          <Link to="/kpi-health">KPI health</Link>
        </nav>
        <div className="who">
          {state.status === 'signed-in' && state.via === 'token' ? (
            <>
              <span>Token{state.credentials.adminUserId ? ` · ${state.credentials.adminUserId}` : ''}</span>
              <button type="button" onClick={() => signOut('Signed out. The token is gone from this tab.')}>
                Sign out
              </button>
            </>
          ) : (
            <span title="The admin panel's sheen_admin_session cookie; sign out in the panel">Admin session</span>
          )}
        </div>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}

function NotFound() {
  return (
    <Empty>
      No such page. <Link to="/workflows">Go to the workflows page</Link>.
    </Empty>
  );
}

export const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound });
