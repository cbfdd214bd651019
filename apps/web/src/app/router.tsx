import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { SignInPage } from '../auth/sign-in-page.js';
import { SignUpPage } from '../auth/sign-up-page.js';
import { FolderPage } from '../files/folder-page.js';
import { RequireSignedIn, RequireSignedOut } from '../session/route-guards.js';
import { SessionProvider } from '../session/session-context.js';
import { ToastProvider } from '../ui/toasts.js';
import { UploadsProvider } from '../uploads/uploads-context.js';
import { AppShell } from './app-shell.js';
import { NotFoundPage } from './not-found-page.js';
import { useTranslation } from '../i18n/i18n.js';

// Pages visited now and then load when first opened; the folder page and sign-in come with
// the app, since nearly every visit starts there.
const AccountPage = lazy(() =>
  import('../account/account-page.js').then((module) => ({ default: module.AccountPage })),
);
const ConfirmEmailPage = lazy(() =>
  import('../auth/confirm-email-page.js').then((module) => ({
    default: module.ConfirmEmailPage,
  })),
);
const AdminPage = lazy(() =>
  import('../admin/admin-page.js').then((module) => ({ default: module.AdminPage })),
);
const TrashPage = lazy(() =>
  import('../trash/trash-page.js').then((module) => ({ default: module.TrashPage })),
);
const SharedWithMePage = lazy(() =>
  import('../sharing/shared-with-me-page.js').then((module) => ({
    default: module.SharedWithMePage,
  })),
);
const LinkPage = lazy(() =>
  import('../links/link-page.js').then((module) => ({ default: module.LinkPage })),
);
const SharedByMePage = lazy(() =>
  import('../sharing/shared-by-me-page.js').then((module) => ({ default: module.SharedByMePage })),
);
const SearchPage = lazy(() =>
  import('../search/search-page.js').then((module) => ({ default: module.SearchPage })),
);
const StarredPage = lazy(() =>
  import('../stars/starred-page.js').then((module) => ({ default: module.StarredPage })),
);
const RecentPage = lazy(() =>
  import('../recent/recent-page.js').then((module) => ({ default: module.RecentPage })),
);
const ForgotPasswordPage = lazy(() =>
  import('../auth/forgot-password-page.js').then((module) => ({
    default: module.ForgotPasswordPage,
  })),
);
const ResetPasswordPage = lazy(() =>
  import('../auth/reset-password-page.js').then((module) => ({
    default: module.ResetPasswordPage,
  })),
);
const VerifyEmailPage = lazy(() =>
  import('../auth/verify-email-page.js').then((module) => ({ default: module.VerifyEmailPage })),
);

const Loading = () => {
  const { t } = useTranslation();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
};

const signedIn = (page: ReactNode) => <RequireSignedIn>{page}</RequireSignedIn>;
const signedOut = (page: ReactNode) => <RequireSignedOut>{page}</RequireSignedOut>;

/** The session provider sits at the router's root, so every route reads the same session. */
export const router = createBrowserRouter([
  {
    element: (
      <SessionProvider>
        <ToastProvider>
          <UploadsProvider>
            <AppShell>
              <Suspense fallback={<Loading />}>
                <Outlet />
              </Suspense>
            </AppShell>
          </UploadsProvider>
        </ToastProvider>
      </SessionProvider>
    ),
    children: [
      { path: '/', element: signedIn(<FolderPage />) },
      { path: '/folders/:folderId', element: signedIn(<FolderPage />) },
      { path: '/shared', element: signedIn(<SharedWithMePage />) },
      { path: '/shared-by-me', element: signedIn(<SharedByMePage />) },
      { path: '/trash', element: signedIn(<TrashPage />) },
      { path: '/search', element: signedIn(<SearchPage />) },
      { path: '/recent', element: signedIn(<RecentPage />) },
      { path: '/starred', element: signedIn(<StarredPage />) },
      { path: '/account', element: signedIn(<AccountPage />) },
      { path: '/admin', element: signedIn(<AdminPage />) },
      { path: '/sign-in', element: signedOut(<SignInPage />) },
      { path: '/sign-up', element: signedOut(<SignUpPage />) },
      // A share link's page: for anybody, signed in or not.
      { path: '/s/:token', element: <LinkPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/verify-email', element: <VerifyEmailPage /> },
      { path: '/confirm-email', element: <ConfirmEmailPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
