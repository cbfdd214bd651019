import type { ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { UsageBar } from '../account/usage-bar.js';
import { useIsAdmin } from '../admin/use-is-admin.js';
import { LiveIndicator } from '../events/live-indicator.js';
import { SearchBox } from '../search/search-box.js';
import { useSession, useSessionActions } from '../session/session-context.js';
import { UploadPanel } from '../uploads/upload-panel.js';
import { useToasts } from '../ui/toasts.js';

const SignedInNav = () => {
  const { signOut } = useSessionActions();
  const toasts = useToasts();
  const navigate = useNavigate();
  const inFiles = useLocation().pathname.startsWith('/folders/');
  const isAdmin = useIsAdmin(true);
  return (
    <>
      <SearchBox />
      <nav aria-label="Main" className="main-nav">
        <NavLink to="/" end className={({ isActive }) => (isActive || inFiles ? 'active' : '')}>
          Files
        </NavLink>
        <NavLink to="/recent">Recent</NavLink>
        <NavLink to="/starred">Starred</NavLink>
        <NavLink to="/shared">Shared with me</NavLink>
        <NavLink to="/shared-by-me">Shared by me</NavLink>
        <NavLink to="/trash">Trash</NavLink>
        <NavLink to="/account">Account</NavLink>
        {isAdmin ? <NavLink to="/admin">Admin</NavLink> : null}
        <button
          type="button"
          className="link-button"
          onClick={() =>
            void signOut()
              .catch((error: unknown) => toasts.showError(error))
              .then(() => navigate('/sign-in'))
          }
        >
          Sign out
        </button>
      </nav>
    </>
  );
};

export const AppShell = ({ children }: { children: ReactNode }) => {
  const session = useSession();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="shell-header">
        <Link to="/" className="brand">
          My File
        </Link>
        {session.status === 'signed-in' && <SignedInNav />}
      </header>
      <main id="main" className="shell-main">
        {children}
      </main>
      {session.status === 'signed-in' && (
        <footer className="shell-footer">
          <UsageBar />
          <LiveIndicator />
        </footer>
      )}
      {session.status === 'signed-in' && <UploadPanel />}
    </div>
  );
};
