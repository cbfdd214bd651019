import type { NodeDto } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { ToastProvider } from '../ui/toasts.js';
import { useNodeActions } from './use-node-actions.js';

beforeEach(() => setCsrfToken('csrf-1'));
afterEach(() => vi.unstubAllGlobals());

const node = (id: string, kind: 'file' | 'folder', name: string): NodeDto =>
  ({ id, kind, name, parentId: 'here', storageState: 'hot' }) as NodeDto;

const job = (status: string, progress: Record<string, number> | null) => ({
  id: 'job-1',
  name: 'folders.copy',
  status,
  progress,
  error: null,
});

const CopyButton = ({ nodes }: { nodes: NodeDto[] }) => {
  const actions = useNodeActions();
  return (
    <button type="button" onClick={() => void actions.copy(nodes, 'target')}>
      Copy them
    </button>
  );
};

test('a folder is copied by the server in a job whose progress the toast follows to the end', async () => {
  let answered = job('running', { filesDone: 1, filesTotal: 4, bytesDone: 1024, bytesTotal: 4096 });
  const requests = stubFetch((request) => {
    if (request.url === '/api/files/f1/copy') return json(201, node('f2', 'file', 'a.txt'));
    if (request.url === '/api/folders/d1/copy') return json(202, { job: job('queued', null) });
    if (request.url === '/api/jobs/job-1') return json(200, { job: answered });
    return json(404, { error: { code: 'not_found', message: 'No.' } });
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <CopyButton nodes={[node('f1', 'file', 'a.txt'), node('d1', 'folder', 'Docs')]} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  await userEvent.setup().click(screen.getByRole('button', { name: 'Copy them' }));

  await screen.findByText('Copied 1 file.');
  await screen.findByText('Copying “Docs”: waiting to start…');
  expect(requests.slice(0, 2)).toEqual([
    { url: '/api/files/f1/copy', method: 'POST', body: { targetFolderId: 'target' } },
    { url: '/api/folders/d1/copy', method: 'POST', body: { targetFolderId: 'target' } },
  ]);
  // A job.updated event lands in the query cache: the toast moves without waiting for a poll.
  queryClient.setQueryData(
    ['job', 'job-1'],
    job('running', { filesDone: 2, filesTotal: 4, bytesDone: 2048, bytesTotal: 4096 }),
  );
  await screen.findByText(/Copying “Docs”: 2 of 4 files · 2(\.0)? KiB of 4(\.0)? KiB/);
  // With no more events, polling the job finds its end.
  answered = job('done', { filesDone: 4, filesTotal: 4, bytesDone: 4096, bytesTotal: 4096 });
  await waitFor(() => expect(screen.getByText('Copied “Docs”.')).toBeTruthy(), { timeout: 3000 });
});

test('a copy job that fails says why in its toast', async () => {
  stubFetch((request) => {
    if (request.url === '/api/folders/d1/copy') return json(202, { job: job('queued', null) });
    return json(200, { job: { ...job('failed', null), error: 'The target folder is gone.' } });
  });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ToastProvider>
        <CopyButton nodes={[node('d1', 'folder', 'Docs')]} />
      </ToastProvider>
    </QueryClientProvider>,
  );
  await userEvent.setup().click(screen.getByRole('button', { name: 'Copy them' }));
  await waitFor(
    () =>
      expect(screen.getByText('Copying “Docs” failed: The target folder is gone.')).toBeTruthy(),
    { timeout: 3000 },
  );
});
