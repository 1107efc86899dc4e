import { NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';

/** Signed-in pages: a header with navigation and who is signed in. */
export function AppShell() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Cruddur</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/messages">Messages</NavLink>
            </li>
          </ul>
        </nav>
        {user && (
          <div className="current-user">
            <span className="avatar" aria-hidden="true">
              {[...(user.display_name || '?')][0].toUpperCase()}
            </span>
            <span className="who">
              <span className="name">{user.display_name}</span>
              <span className="handle">@{user.handle}</span>
            </span>
            <button
              type="button"
              onClick={async () => {
                await signOut();
                navigate('/signin', { replace: true });
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** Sends a signed-out visitor to sign-in, and back here afterwards. */
export function RequireAuth() {
  const { status, notice } = useAuth();
  const location = useLocation();
  if (status === 'loading') {
    return (
      <p className="muted page-status" role="status">
        Loading…
      </p>
    );
  }
  if (status === 'signedOut') {
    return <Navigate to="/signin" replace state={{ from: location.pathname + location.search, notice }} />;
  }
  return <Outlet />;
}
