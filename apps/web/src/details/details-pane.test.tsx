import type { ActivityEntry, NodeDto } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { ToastProvider } from '../ui/toasts.js';
import { activityText, DetailsPane } from './details-pane.js';

afterEach(() => vi.unstubAllGlobals());

const file: NodeDto = {
  id: 'f1',
  kind: 'file',
  parentId: 'root',
  name: 'plan.txt',
  size: 20,
  contentType: 'text/plain',
  sha256: null,
  storageState: 'hot',
  thumbnailUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};

const entry = (kind: ActivityEntry['kind'], detail: ActivityEntry['detail'] = {}) =>
  ({
    id: `${kind}-id`,
    kind,
    at: '2026-01-02T00:00:00.000Z',
    actor: null,
    detail,
  }) satisfies ActivityEntry;

test('each kind of activity says what happened, with what the server told about it', () => {
  const said = (kind: ActivityEntry['kind'], detail: ActivityEntry['detail'] = {}) =>
    activityText(entry(kind, detail));
  expect(said('renamed', { previousName: 'draft.txt', name: 'plan.txt' })).toBe(
    'Renamed from draft.txt',
  );
  expect(said('moved', { from: 'Work', to: 'Archive' })).toBe('Moved from Work to Archive');
  // A sharee is not told where an item went.
  expect(said('moved')).toBe('Moved');
  expect(said('new_version', { size: 1536 })).toBe('New version (1.5 KiB)');
  expect(said('shared', { email: 'b@example.com', role: 'editor' })).toBe(
    'Shared with b@example.com (editor)',
  );
  expect(said('share_changed', { email: 'b@example.com', role: 'viewer' })).toBe(
    'b@example.com is now viewer',
  );
  expect(said('unshared', { email: 'b@example.com' })).toBe('Stopped sharing with b@example.com');
  expect(said('link_created')).toBe('Link created');
  expect(said('link_revoked')).toBe('Link revoked');
  expect(said('trashed')).toBe('Moved to the trash');
  expect(said('restored')).toBe('Restored from the trash');
  expect(said('archived')).toBe('Archived');
  expect(said('unarchived')).toBe('Brought back from the archive');
  expect(said('created')).toBe('Created');
});

test('the pane lists the item’s activity from the server, who did it, and pages with Show more', async () => {
  const recent = new Date(Date.now() - 3 * 60_000).toISOString();
  const requests = stubFetch(({ url }) => {
    if (url.startsWith('/api/nodes/f1/activity')) {
      if (!url.includes('cursor=')) {
        return json(200, {
          items: [
            {
              ...entry('renamed', { previousName: 'draft.txt', name: 'plan.txt' }),
              at: recent,
              actor: { email: 'me@example.com', you: true },
            },
            {
              ...entry('new_version', { size: 1024 }),
              actor: { email: 'b@example.com', you: false },
            },
          ],
          nextCursor: 'next-page',
        });
      }
      return json(200, {
        items: [{ id: null, kind: 'created', at: file.createdAt, actor: null, detail: {} }],
        nextCursor: null,
      });
    }
    if (url.startsWith('/api/stars/f1')) return json(200, { starred: false });
    return json(404, { error: { code: 'not_found', message: 'Not found.' } });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <DetailsPane node={file} folder={undefined} canEdit={false} onClose={() => undefined} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  const list = await screen.findByRole('list', { name: 'Activity' });
  const lines = () =>
    within(list)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
  expect(lines()).toEqual([
    'Renamed from draft.txt · You 3 minutes ago',
    expect.stringMatching(/^New version \(1 KiB\) · b@example\.com \w{3} \d+, 2026/),
  ]);
  expect(requests.some((request) => request.url.startsWith('/api/files/f1/versions'))).toBe(false);

  await userEvent.setup().click(screen.getByRole('button', { name: 'Show more' }));
  await within(list).findByText('Created');
  expect(lines()).toHaveLength(3);
  expect(lines()[2]).toMatch(/^Created Jan 1, 2026/);
  expect(requests.at(-1)?.url).toContain('cursor=next-page');
  expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
});
