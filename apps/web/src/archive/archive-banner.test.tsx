import type { DomainEvent, FolderWithBreadcrumb } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, test, vi } from 'vitest';
import { invalidateForEvent } from '../events/event-invalidation.js';
import { setLiveStatus } from '../events/live-status.js';
import { StorageBadge } from '../files/storage-badge.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import type { JobView } from './archive-api.js';
import { ArchiveBanner } from './archive-banner.js';
import { trackFolderJob } from './folder-jobs.js';

type BannerFolder = Pick<
  FolderWithBreadcrumb,
  'id' | 'storageState' | 'archiveError' | 'archiveJobId'
>;

const archiving: BannerFolder = {
  id: 'folder-1',
  storageState: 'archiving',
  archiveError: null,
  archiveJobId: 'job-1',
};

const job = (progress: Record<string, number> | null, status: JobView['status'] = 'running') => ({
  id: 'job-1',
  name: 'archive.folder',
  status,
  progress,
  error: null,
});

const jobEvent = (progress: Record<string, number>): DomainEvent => ({
  type: 'job.updated',
  userId: 'u1',
  at: '2026-01-01T00:00:00.000Z',
  job: job(progress),
});

afterEach(() => {
  vi.unstubAllGlobals();
  setLiveStatus('offline');
});

const renderBanner = (folder: BannerFolder, onRestore = vi.fn()) => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ArchiveBanner folder={folder} reasonId="why" onRestore={onRestore} />
      <StorageBadge node={folder} />
    </QueryClientProvider>,
  );
  return { queryClient, onRestore };
};

test('with live events, progress comes from job.updated without polling', async () => {
  setLiveStatus('live');
  // As the archive action does: rows only know the jobs this tab started.
  trackFolderJob('folder-1', 'job-1');
  const requests = stubFetch(() =>
    json(200, { job: job({ filesDone: 1, filesTotal: 4, bytesDone: 1000, bytesTotal: 4000 }) }),
  );
  const { queryClient } = renderBanner(archiving);
  expect(screen.getByRole('region', { name: 'Archive status' }).textContent).toMatch(
    /Archiving….*read-only/,
  );
  expect(await screen.findByText('1 of 4 files · 1000 B of 3.9 KiB')).toBeTruthy();
  expect(screen.getByRole('progressbar', { name: 'Archive progress' })).toHaveProperty('value', 25);
  expect(screen.getByText('Archiving… 25%')).toBeTruthy();

  invalidateForEvent(
    queryClient,
    jobEvent({ filesDone: 3, filesTotal: 4, bytesDone: 3000, bytesTotal: 4000 }),
  );
  expect(await screen.findByText('3 of 4 files · 2.9 KiB of 3.9 KiB')).toBeTruthy();
  expect(screen.getByText('Archiving… 75%')).toBeTruthy();
  // One look when the page opened; every later step came pushed.
  expect(requests.map((request) => request.url)).toEqual(['/api/jobs/job-1']);
});

test('without a socket, the job is polled until it finishes, then the folder is looked at again', async () => {
  const answers = [
    job({ filesDone: 0, filesPending: 2, filesTotal: 2, bytesDone: 0 }),
    job({ filesDone: 2, filesPending: 0, filesTotal: 2, bytesDone: 2_000_000 }, 'done'),
  ];
  const requests = stubFetch(() => json(200, { job: answers.shift() ?? answers.at(-1) }));
  const { queryClient } = renderBanner({ ...archiving, storageState: 'restoring' });
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  expect(await screen.findByText('0 of 2 files · 0 B · 2 waiting for cold storage')).toBeTruthy();
  expect(screen.getByRole('region', { name: 'Archive status' }).textContent).toMatch(
    /can take hours/,
  );
  expect(await screen.findByText('2 of 2 files · 1.9 MiB', {}, { timeout: 4_000 })).toBeTruthy();
  await waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: ['folder'] }));
  expect(requests).toHaveLength(2);
});

test('a failed restore shows its reason and offers to try again', async () => {
  const requests = stubFetch(() => json(500, {}));
  const { onRestore } = renderBanner({
    id: 'folder-1',
    storageState: 'archived',
    archiveError: 'The cold tier did not restore report.pdf.',
    archiveJobId: null,
  });
  expect(screen.getByRole('alert').textContent).toBe(
    'The last restore failed: The cold tier did not restore report.pdf.',
  );
  expect(document.getElementById('why')?.textContent).toMatch(/read-only/);
  expect(screen.getByText('Archived')).toBeTruthy();
  await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
  expect(onRestore).toHaveBeenCalledOnce();
  // Nothing is moving: no job to ask about.
  expect(requests).toEqual([]);
});

test('a hot folder shows no banner and no badge', () => {
  renderBanner({ ...archiving, storageState: 'hot' });
  expect(screen.queryByRole('region')).toBeNull();
  expect(document.querySelector('.badge')).toBeNull();
});
