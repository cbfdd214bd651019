import type { NodeDto } from '@myfile/contract';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../api/api-error.js';
import { UploadQueue, type CreateTransfer } from './upload-queue.js';

const node = (name: string): NodeDto => ({
  id: name,
  kind: 'file',
  parentId: 'root',
  name,
  size: 1,
  contentType: 'text/plain',
  sha256: null,
  storageState: 'hot',
  thumbnailUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A transfer each test drives by hand: progress, success, failure, and what was called. */
const manualTransfers = () => {
  const started: {
    name: string;
    progress(loaded: number): void;
    succeed(savedAs?: string): void;
    fail(error: unknown): void;
  }[] = [];
  const calls: string[] = [];
  const create: CreateTransfer = ({ file, onProgress }) => ({
    start: () =>
      new Promise<NodeDto>((resolve, reject) => {
        calls.push(`start ${file.name}`);
        started.push({
          name: file.name,
          progress: onProgress,
          succeed: (savedAs) => resolve(node(savedAs ?? file.name)),
          fail: reject,
        });
      }),
    pause: () => calls.push(`pause ${file.name}`),
    cancel: () => calls.push(`cancel ${file.name}`),
  });
  return { started, calls, create };
};

const files = (...names: string[]) =>
  names.map((name) => ({ file: new File(['0123456789'], name), folderId: 'root' }));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('UploadQueue', () => {
  test('runs at most `concurrency` uploads and starts the next when one finishes', async () => {
    const transfers = manualTransfers();
    const uploaded: string[] = [];
    const queue = new UploadQueue({
      createTransfer: transfers.create,
      concurrency: 2,
      onUploaded: (created) => uploaded.push(created.name),
    });
    queue.add(files('a', 'b', 'c'));
    expect(queue.getSnapshot().map((item) => item.status)).toEqual([
      'uploading',
      'uploading',
      'queued',
    ]);
    transfers.started[0]?.progress(5);
    expect(queue.getSnapshot()[0]?.loaded).toBe(5);
    transfers.started[0]?.succeed();
    await settle();
    expect(queue.getSnapshot().map((item) => item.status)).toEqual([
      'done',
      'uploading',
      'uploading',
    ]);
    expect(uploaded).toEqual(['a']);
    expect(queue.getSnapshot()[0]?.loaded).toBe(10);
  });

  test('pause stops the transfer and frees its slot; resume starts the same transfer again', async () => {
    const transfers = manualTransfers();
    const queue = new UploadQueue({ createTransfer: transfers.create, concurrency: 1 });
    queue.add(files('a', 'b'));
    const id = queue.getSnapshot()[0]?.id ?? '';
    queue.pause(id);
    expect(transfers.calls).toEqual(['start a', 'pause a', 'start b']);
    expect(queue.getSnapshot().map((item) => item.status)).toEqual(['paused', 'uploading']);
    // The paused attempt's late answer is ignored.
    transfers.started[0]?.fail(new Error('aborted'));
    await settle();
    expect(queue.getSnapshot()[0]?.status).toBe('paused');
    transfers.started[1]?.succeed();
    await settle();
    queue.resume(id);
    expect(queue.getSnapshot()[0]?.status).toBe('uploading');
    expect(transfers.calls.at(-1)).toBe('start a');
    // The resumed transfer reports through the callback it was made with: the bar moves on.
    transfers.started[2]?.progress(7);
    expect(queue.getSnapshot()[0]?.loaded).toBe(7);
  });

  test('progress from a paused transfer does not move its bar', () => {
    const transfers = manualTransfers();
    const queue = new UploadQueue({ createTransfer: transfers.create });
    queue.add(files('a'));
    transfers.started[0]?.progress(3);
    queue.pause(queue.getSnapshot()[0]?.id ?? '');
    transfers.started[0]?.progress(6);
    expect(queue.getSnapshot()[0]).toMatchObject({ status: 'paused', loaded: 3 });
  });

  test('a failure shows the server sentence and can be retried; a renamed file says so', async () => {
    const transfers = manualTransfers();
    const queue = new UploadQueue({ createTransfer: transfers.create });
    queue.add(files('report.txt'));
    transfers.started[0]?.fail(
      new ApiError({ status: 507, code: 'quota_exceeded', message: 'Your storage is full.' }),
    );
    await settle();
    expect(queue.getSnapshot()[0]).toMatchObject({
      status: 'failed',
      error: 'Your storage is full.',
    });
    queue.retry(queue.getSnapshot()[0]?.id ?? '');
    expect(queue.getSnapshot()[0]?.status).toBe('uploading');
    expect(queue.getSnapshot()[0]?.error).toBeUndefined();
    transfers.started[1]?.succeed('report (1).txt');
    await settle();
    expect(queue.getSnapshot()[0]).toMatchObject({ status: 'done', savedAs: 'report (1).txt' });
  });

  test('cancel aborts for good and clearFinished drops finished rows', async () => {
    const transfers = manualTransfers();
    const queue = new UploadQueue({ createTransfer: transfers.create });
    queue.add(files('a', 'b'));
    queue.cancel(queue.getSnapshot()[0]?.id ?? '');
    expect(transfers.calls).toContain('cancel a');
    transfers.started[1]?.succeed();
    await settle();
    queue.clearFinished();
    expect(queue.getSnapshot()).toEqual([]);
  });

  test('notifies subscribers with a new snapshot on every change', () => {
    const transfers = manualTransfers();
    const queue = new UploadQueue({ createTransfer: transfers.create });
    let changes = 0;
    const unsubscribe = queue.subscribe(() => (changes += 1));
    const before = queue.getSnapshot();
    queue.add(files('a'));
    expect(changes).toBeGreaterThan(0);
    expect(queue.getSnapshot()).not.toBe(before);
    unsubscribe();
  });
});
