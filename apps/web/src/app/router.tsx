import type { ReactNode } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { AccountPage } from '../account/account-page.js';
import { ForgotPasswordPage } from '../auth/forgot-password-page.js';
import { ResetPasswordPage } from '../auth/reset-password-page.js';
import { SignInPage } from '../auth/sign-in-page.js';
import { SignUpPage } from '../auth/sign-up-page.js';
import { VerifyEmailPage } from '../auth/verify-email-page.js';
import { FolderPage } from '../files/folder-page.js';
import { SearchPage } from '../search/search-page.js';
import { RequireSignedIn, RequireSignedOut } from '../session/route-guards.js';
import { SessionProvider } from '../session/session-context.js';
import { TrashPage } from '../trash/trash-page.js';
import { ToastProvider } from '../ui/toasts.js';
import { UploadsProvider } from '../uploads/uploads-context.js';
import { AppShell } from './app-shell.js';
import { NotFoundPage } from './not-found-page.js';

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
              <Outlet />
            </AppShell>
          </UploadsProvider>
        </ToastProvider>
      </SessionProvider>
    ),
    children: [
      { path: '/', element: signedIn(<FolderPage />) },
      { path: '/folders/:folderId', element: signedIn(<FolderPage />) },
      { path: '/trash', element: signedIn(<TrashPage />) },
      { path: '/search', element: signedIn(<SearchPage />) },
      { path: '/account', element: signedIn(<AccountPage />) },
      { path: '/sign-in', element: signedOut(<SignInPage />) },
      { path: '/sign-up', element: signedOut(<SignUpPage />) },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/verify-email', element: <VerifyEmailPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
