import { createBrowserRouter, Outlet } from 'react-router';
import { SessionProvider } from '../session/session-context.js';
import { AppShell } from './app-shell.js';
import { HomePage } from './home-page.js';
import { NotFoundPage } from './not-found-page.js';

/** The session provider sits at the router's root, so every route reads the same session. */
export const router = createBrowserRouter([
  {
    element: (
      <SessionProvider>
        <AppShell>
          <Outlet />
        </AppShell>
      </SessionProvider>
    ),
    children: [
      { path: '/', element: <HomePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
