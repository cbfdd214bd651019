import type { TrashItem } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { json, stubFetch, type Request } from '../test-support/fetch-stub.js';
import { ToastProvider } from '../ui/toasts.js';
import { TrashPage } from './trash-page.js';

beforeEach(() => setCsrfToken('csrf-1'));
afterEach(() => vi.unstubAllGlobals());

const item = (id: string, name: string): TrashItem => ({
  id,
  name,
  kind: 'file',
  parentId: null,
  size: 10,
  contentType: 'text/plain',
  sha256: null,
  thumbnailUrl: null,
  storageState: 'hot',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  trashedAt: '2026-12-01T00:00:00.000Z',
  purgeAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  originalPath: ['Docs'],
});

/** A trash of three items; restoring or deleting `b` fails, the others work. */
const renderTrash = (failing = 'none') => {
  let items = [item('a', 'a.txt'), item('b', 'b.txt'), item('c', 'c.txt')];
  const requests = stubFetch((request: Request) => {
    if (request.method === 'GET') return json(200, { items, nextCursor: null });
    const id = /\/api\/trash\/(\w+)/.exec(request.url)?.[1];
    if (id === failing)
      return json(409, { error: { code: 'conflict', message: 'The name is taken.' } });
    items = items.filter((entry) => entry.id !== id);
    return json(200, {});
  });
  render(
    <QueryClientProvider
      client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <ToastProvider>
        <TrashPage />
      </ToastProvider>
    </QueryClientProvider>,
  );
  const changes = () => requests.filter((request) => request.method !== 'GET');
  return { user: userEvent.setup(), changes };
};

test('each item says how many days are left, and several restore in one go', async () => {
  const { user, changes } = renderTrash();
  const list = await screen.findByRole('list', { name: 'Deleted items' });
  expect(within(list).getAllByText(/deleted for good in 3 days/)).toHaveLength(3);
  await user.click(screen.getByRole('checkbox', { name: 'Select a.txt' }));
  await user.click(screen.getByRole('checkbox', { name: 'Select c.txt' }));
  expect(screen.getByText('2 selected')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Restore selected' }));
  await waitFor(() =>
    expect(changes()).toEqual([
      { url: '/api/trash/a/restore', method: 'POST', body: undefined },
      { url: '/api/trash/c/restore', method: 'POST', body: undefined },
    ]),
  );
  await waitFor(() => expect(screen.queryByText('a.txt')).toBeNull());
  expect(screen.getByText('b.txt')).toBeTruthy();
  expect(screen.getByRole('status').textContent).toContain('Restored 2 items.');
});

test('deleting the selection forever asks first; one failure is said and the rest still go', async () => {
  const { user, changes } = renderTrash('b');
  await screen.findByRole('list', { name: 'Deleted items' });
  await user.click(screen.getByRole('checkbox', { name: 'Select all shown' }));
  expect(screen.getByText('3 selected')).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Delete selected forever' }));
  const dialog = screen.getByRole('dialog', { name: 'Delete 3 items forever?' });
  expect(changes()).toEqual([]);
  await user.click(within(dialog).getByRole('button', { name: 'Delete forever' }));
  await waitFor(() =>
    expect(changes().map((request) => `${request.method} ${request.url}`)).toEqual([
      'DELETE /api/trash/a',
      'DELETE /api/trash/b',
      'DELETE /api/trash/c',
    ]),
  );
  await waitFor(() => expect(screen.queryByText('c.txt')).toBeNull());
  expect(screen.getByText('b.txt')).toBeTruthy();
  expect(document.body.textContent).toContain('The name is taken.');
  expect(document.body.textContent).toContain('Deleted 2 items for good.');
});
