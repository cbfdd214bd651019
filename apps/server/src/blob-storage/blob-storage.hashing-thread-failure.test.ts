import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, expect, it, vi } from 'vitest';
import type * as StartWorker from '../worker-threads/start-worker.js';
import { patternBytes } from './blob-storage.test-utils.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// The real thread, started the real way; the test only keeps a handle on it to stop it, or
// refuses to start it, as a crash or a missing worker file would.
const threads = vi.hoisted(() => ({ started: [] as Worker[], refuse: false }));
vi.mock('../worker-threads/start-worker.js', async (importOriginal) => {
  const original = await importOriginal<typeof StartWorker>();
  return {
    startWorker: async (options: Parameters<typeof original.startWorker>[0]) => {
      if (threads.refuse) throw new Error('No thread today.');
      const worker = await original.startWorker(options);
      threads.started.push(worker);
      return worker;
    },
  };
});

const { createBodyHasher } = await import('./blob-storage.hashing.js');

afterEach(() => {
  threads.refuse = false;
});

it('a thread that dies mid-body fails that body, and the next body gets a new thread', async () => {
  const hasher = createBodyHasher();
  hasher.update(patternBytes(0, 3 * MiB));
  await hasher.ready();
  const [worker] = threads.started;
  if (!worker) throw new Error('The body did not start the hashing thread.');
  await worker.terminate();
  hasher.update(patternBytes(1, 3 * MiB));
  // The body must not be stored under a digest of only part of it.
  await expect(
    (async () => {
      await hasher.ready();
      return hasher.digest();
    })(),
  ).rejects.toThrow(/hashing thread stopped/);

  const next = createBodyHasher();
  const body = patternBytes(2, 3 * MiB);
  next.update(body);
  await next.ready();
  expect(await next.digest()).toBe(sha256(body));
  expect(threads.started).toHaveLength(2);
  await threads.started[1]?.terminate();
});

it('when the thread cannot start, a large body is hashed in place to the same digest', async () => {
  threads.refuse = true;
  const hasher = createBodyHasher();
  const body = patternBytes(3, 5 * MiB + 7);
  for (let at = 0; at < body.byteLength; at += 100_003) {
    hasher.update(body.subarray(at, at + 100_003));
    await hasher.ready();
  }
  expect(await hasher.digest()).toBe(sha256(body));
});
