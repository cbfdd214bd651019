import { createHash, randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type * as StartWorker from '../../worker-threads/start-worker.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { referencedBlobKeys } from '../versions/versions.test-utils.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';

// The hashing thread is the real one; while `dying` is set it is stopped as soon as it starts,
// as a crash in it would.
const hashThread = vi.hoisted(() => ({ dying: false, started: [] as Worker[] }));
vi.mock('../../worker-threads/start-worker.js', async (importOriginal) => {
  const original = await importOriginal<typeof StartWorker>();
  return {
    startWorker: async (options: Parameters<typeof original.startWorker>[0]) => {
      const worker = await original.startWorker(options);
      if (options.name !== 'blob-storage.hash-worker') return worker;
      hashThread.started.push(worker);
      if (hashThread.dying) void worker.terminate();
      return worker;
    },
  };
});

const BODY_BYTES = 4 * 1024 * 1024;
let testApp: TestApp;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(2 * BODY_BYTES) } });
  user = await fixturesOf(testApp.context).newUser();
});
afterAll(() => testApp.close());

const storedBlobKeys = async () => {
  const keys: string[] = [];
  for await (const blob of testApp.context.blobStorage.list({})) {
    if (/^[0-9a-f]{2}\//.test(blob.key)) keys.push(blob.key);
  }
  return new Set(keys);
};

const usedBytes = async () =>
  (await testApp.app.inject({ method: 'GET', url: '/api/usage', headers: user.headers })).json<{
    usedBytes: number;
  }>().usedBytes;

test('an upload whose hashing thread dies fails whole: no file, no blob, no usage; the next one stores', async () => {
  hashThread.dying = true;
  const failed = await uploadFiles(testApp.app, user, {
    files: [{ name: 'big.bin', content: randomBytes(BODY_BYTES) }],
  });
  // The disk store reports it as the server's own failure; the S3 driver, as every failure
  // under a put, as the store being unavailable.
  expect([500, 503]).toContain(failed.statusCode);
  expect(failed.json<{ error: { code: string } }>().error.code).toMatch(/^(internal|unavailable)$/);
  expect(hashThread.started).toHaveLength(1);
  await runQueuedJobs(testApp.context);
  expect(await storedBlobKeys()).toEqual(await referencedBlobKeys(testApp.context.database.db));
  expect(await usedBytes()).toBe(0);
  const files = await testApp.context.database.db
    .selectFrom('nodes')
    .select('id')
    .where('owner_id', '=', user.userId)
    .where('is_folder', '=', false)
    .execute();
  expect(files).toEqual([]);

  hashThread.dying = false;
  const content = randomBytes(BODY_BYTES);
  const stored = await uploadFiles(testApp.app, user, {
    files: [{ name: 'big.bin', content }],
  });
  expect(stored.statusCode).toBe(201);
  expect(hashThread.started).toHaveLength(2);
  const download = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${stored.json<{ files: { id: string }[] }>().files[0]?.id ?? ''}/content`,
    headers: user.headers,
  });
  expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(
    createHash('sha256').update(content).digest('hex'),
  );
  expect(await usedBytes()).toBe(BODY_BYTES);
});
