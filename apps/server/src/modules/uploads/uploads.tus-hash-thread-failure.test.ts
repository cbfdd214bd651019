import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { Upload } from '@tus/utils';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type * as StartWorker from '../../worker-threads/start-worker.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// The real hashing thread; the test keeps a handle on it to stop it, as a crash would.
const threads = vi.hoisted(() => ({ started: [] as Worker[] }));
vi.mock('../../worker-threads/start-worker.js', async (importOriginal) => {
  const original = await importOriginal<typeof StartWorker>();
  return {
    startWorker: async (options: Parameters<typeof original.startWorker>[0]) => {
      const worker = await original.startWorker(options);
      if (options.name === 'blob-storage.hash-worker') threads.started.push(worker);
      return worker;
    },
  };
});

const { HashingFileStore } = await import('./uploads.tus-store.js');

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tus-hash-thread-'));
});
afterEach(async () => {
  for (const worker of threads.started.splice(0)) await worker.terminate();
  await rm(directory, { recursive: true, force: true });
});

const lastThread = () => {
  const worker = threads.started.at(-1);
  if (!worker) throw new Error('No PATCH started the hashing thread.');
  return worker;
};

it('the hashing thread dying between PATCHes: the next PATCH stores, completion reads the file', async () => {
  const store = new HashingFileStore({ directory });
  const data = randomBytes(6 * MiB + 5);
  const { id } = await store.create(new Upload({ id: 'one', size: data.length, offset: 0 }));
  let offset = await store.write(Readable.from([data.subarray(0, 3 * MiB)]), id, 0);
  await lastThread().terminate();
  offset = await store.write(Readable.from([data.subarray(offset)]), id, offset);
  expect(offset).toBe(data.length);
  expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
});

it('the hashing thread dying mid-PATCH: the PATCH still stores every byte, completion reads the file', async () => {
  const store = new HashingFileStore({ directory });
  const data = randomBytes(12 * MiB);
  const { id } = await store.create(new Upload({ id: 'two', size: data.length, offset: 0 }));
  async function* body() {
    yield data.subarray(0, 3 * MiB);
    // Let the thread take the first bytes, then stop it with more of the PATCH to come.
    await vi.waitFor(() => expect(threads.started.length).toBeGreaterThan(0));
    await lastThread().terminate();
    for (let at = 3 * MiB; at < data.length; at += MiB) yield data.subarray(at, at + MiB);
  }
  expect(await store.write(Readable.from(body()), id, 0)).toBe(data.length);
  expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
});

it('the hashing thread dying after the last PATCH: completion reads the file', async () => {
  const store = new HashingFileStore({ directory });
  const data = randomBytes(3 * MiB + 1);
  const { id } = await store.create(new Upload({ id: 'three', size: data.length, offset: 0 }));
  expect(await store.write(Readable.from([data]), id, 0)).toBe(data.length);
  await lastThread().terminate();
  expect(await store.sha256Of(id, data.length)).toBe(sha256(data));
});
