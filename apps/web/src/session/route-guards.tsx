import type { ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { safeNext } from '../auth/safe-next.js';
import { useSession, useSessionError } from './session-context.js';
import { errorMessage } from '../api/api-error.js';
import { useTranslation } from '../i18n/i18n.js';

const Checking = () => {
  const { t } = useTranslation();
  const error = useSessionError();
  if (error) {
    return (
      <div role="alert" className="form-alert">
        <p>{errorMessage(error)}</p>
        <p className="muted">{t('session.retrying')}</p>
      </div>
    );
  }
  return (
    <p role="status" className="muted">
      {t('session.checking')}
    </p>
  );
};

/** Pages behind sign-in: a signed-out visitor is sent to sign in, then back here. */
export const RequireSignedIn = ({ children }: { children: ReactNode }) => {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Checking />;
  if (session.status === 'signed-out') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
};

/**
 * Sign-in and sign-up make no sense once signed in. Signing in flips the session before the
 * page's own navigation runs, so this guard is what takes the person to `?next=`.
 */
export const RequireSignedOut = ({ children }: { children: ReactNode }) => {
  const session = useSession();
  const [params] = useSearchParams();
  if (session.status === 'loading') return <Checking />;
  if (session.status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  return children;
};
