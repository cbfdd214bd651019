import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, expect, test, vi } from 'vitest';
import { json } from '../test-support/fetch-stub.js';
import { RequireSignedIn } from './route-guards.js';
import { SessionProvider } from './session-context.js';

afterEach(() => vi.unstubAllGlobals());

test('with the server down the page says so, and comes back by itself once it answers', async () => {
  let up = false;
  vi.stubGlobal('fetch', async (url: string) => {
    if (!up) throw new TypeError('Failed to fetch');
    if (url === '/api/auth/me') return json(200, { id: 'u1', email: 'ada@example.com' });
    return json(404, { error: { code: 'not_found', message: 'Nothing here.' } });
  });
  const router = createMemoryRouter(
    [{ path: '/', element: <RequireSignedIn>{<h1>My files</h1>}</RequireSignedIn> }],
    { initialEntries: ['/'] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>,
  );
  const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
  expect(alert.textContent).toMatch(/Could not reach the server/);
  up = true;
  expect(await screen.findByRole('heading', { name: 'My files' }, { timeout: 5_000 })).toBeTruthy();
}, 20_000);
