import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, type ReactNode } from 'react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { setCsrfToken } from '../api/http.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { ArchiveDialog, RestoreDialog } from './archive-dialogs.js';

const folder = { id: 'folder-1', name: 'Projects' };
const job = { id: 'job-1', name: 'archive.folder', status: 'queued', progress: null, error: null };

beforeEach(() => setCsrfToken('csrf-1'));
afterEach(() => vi.unstubAllGlobals());

/** The dialog behind an opener button, as the folder page mounts it. */
const Opener = ({ dialog }: { dialog: (onClose: () => void) => ReactNode }) => {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open dialog
      </button>
      {open && dialog(() => setOpen(false))}
    </>
  );
};

const renderOpened = async (dialog: (onClose: () => void) => ReactNode) => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <Opener dialog={dialog} />
    </QueryClientProvider>,
  );
  const user = userEvent.setup();
  const opener = screen.getByRole('button', { name: 'Open dialog' });
  await user.click(opener);
  return { user, opener, queryClient };
};

test('the archive dialog is labelled, explains read-only and slow restores, and starts the job', async () => {
  const requests = stubFetch(() => json(202, { job }));
  const { user, opener, queryClient } = await renderOpened((onClose) => (
    <ArchiveDialog folder={folder} onClose={onClose} />
  ));
  const dialog = screen.getByRole('dialog', { name: 'Archive “Projects”?' });
  expect(dialog).toHaveProperty('open', true);
  expect(dialog.textContent).toMatch(/read-only/);
  expect(dialog.textContent).toMatch(/several hours/);
  // Focus starts on the harmless choice.
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));

  await user.click(screen.getByRole('button', { name: 'Archive' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(requests).toEqual([
    { url: '/api/folders/folder-1/archive', method: 'POST', body: undefined },
  ]);
  // Progress can show at once, before any event arrives.
  expect(queryClient.getQueryData(['job', 'job-1'])).toEqual(job);
  expect(document.activeElement).toBe(opener);
});

test('cancel (Escape) closes without a request and gives focus back to the opener', async () => {
  const requests = stubFetch(() => json(202, { job }));
  const { opener } = await renderOpened((onClose) => (
    <ArchiveDialog folder={folder} onClose={onClose} />
  ));
  // The browser turns Escape into `cancel` on a modal dialog; jsdom does not, so send it.
  screen.getByRole('dialog').dispatchEvent(new Event('cancel', { cancelable: true }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(requests).toEqual([]);
  expect(document.activeElement).toBe(opener);
});

test('a refused archive keeps the dialog open and says why', async () => {
  stubFetch(() =>
    json(409, { error: { code: 'folder_archived', message: 'This folder is archived.' } }),
  );
  const { user } = await renderOpened((onClose) => (
    <ArchiveDialog folder={folder} onClose={onClose} />
  ));
  await user.click(screen.getByRole('button', { name: 'Archive' }));
  // The code has one meaning, so the sentence is the catalog's, in the chosen language.
  expect((await screen.findByRole('alert')).textContent).toMatch(/^This folder is archived/);
  expect(screen.getByRole('dialog')).toBeTruthy();
  expect(screen.getByRole('button', { name: 'Archive' })).toHaveProperty('disabled', false);
});

test('the restore dialog defaults to the standard tier and sends the one picked', async () => {
  const requests = stubFetch(() => json(202, { job: { ...job, name: 'archive.restore-folder' } }));
  const { user } = await renderOpened((onClose) => (
    <RestoreDialog folder={folder} onClose={onClose} />
  ));
  const dialog = screen.getByRole('dialog', { name: 'Restore “Projects”?' });
  expect(dialog.textContent).toMatch(/can take hours/);
  expect(screen.getByRole('radio', { name: /Standard/ })).toHaveProperty('checked', true);
  await user.click(screen.getByRole('radio', { name: /Bulk/ }));
  await user.click(screen.getByRole('button', { name: 'Restore' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  expect(requests).toEqual([
    { url: '/api/folders/folder-1/restore', method: 'POST', body: { tier: 'bulk' } },
  ]);
});

test('archive and restore are worded by the server’s cold tier: a disk is quick and has no speed choice, S3 Glacier takes hours', async () => {
  stubFetch(() => json(202, { job }));
  const disk = { cold: 'disk', restore: 'immediate' } as const;
  const s3 = { cold: 's3', restore: 'hours' } as const;
  const first = await renderOpened((onClose) => (
    <RestoreDialog folder={folder} coldTier={disk} onClose={onClose} />
  ));
  const onDisk = screen.getByRole('dialog', { name: 'Restore “Projects”?' });
  expect(onDisk.textContent).toMatch(/seconds to minutes/);
  expect(onDisk.textContent).not.toMatch(/hours/);
  expect(screen.queryByRole('group', { name: 'Speed' })).toBeNull();
  await first.user.click(screen.getByRole('button', { name: 'Cancel' }));
  cleanup();

  await renderOpened((onClose) => (
    <RestoreDialog folder={folder} coldTier={s3} onClose={onClose} />
  ));
  expect(screen.getByRole('dialog').textContent).toMatch(/S3 Glacier can take hours/);
  expect(screen.getByRole('group', { name: 'Speed' })).toBeTruthy();
  cleanup();

  await renderOpened((onClose) => (
    <ArchiveDialog folder={folder} coldTier={disk} onClose={onClose} />
  ));
  expect(screen.getByRole('dialog').textContent).toMatch(/this server’s disk/);
  expect(screen.getByRole('dialog').textContent).not.toMatch(/hours/);
});
