import type { ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { UsageBar } from '../account/usage-bar.js';
import { useIsAdmin } from '../admin/use-is-admin.js';
import { useTranslation } from '../i18n/i18n.js';
import { LanguagePicker } from '../i18n/language-picker.js';
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
  const { t } = useTranslation();
  return (
    <>
      <SearchBox />
      <nav aria-label={t('nav.main')} className="main-nav">
        <NavLink to="/" end className={({ isActive }) => (isActive || inFiles ? 'active' : '')}>
          {t('nav.files')}
        </NavLink>
        <NavLink to="/recent">{t('nav.recent')}</NavLink>
        <NavLink to="/starred">{t('nav.starred')}</NavLink>
        <NavLink to="/shared">{t('nav.sharedWithMe')}</NavLink>
        <NavLink to="/shared-by-me">{t('nav.sharedByMe')}</NavLink>
        <NavLink to="/trash">{t('nav.trash')}</NavLink>
        <NavLink to="/account">{t('nav.account')}</NavLink>
        {isAdmin ? <NavLink to="/admin">{t('nav.admin')}</NavLink> : null}
        <button
          type="button"
          className="link-button"
          onClick={() =>
            void signOut()
              .catch((error: unknown) => toasts.showError(error))
              .then(() => navigate('/sign-in'))
          }
        >
          {t('nav.signOut')}
        </button>
      </nav>
    </>
  );
};

export const AppShell = ({ children }: { children: ReactNode }) => {
  const session = useSession();
  const { t } = useTranslation();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="shell-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        {session.status === 'signed-in' && <SignedInNav />}
        <LanguagePicker />
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
