import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryArchiveStorage } from '../../archive-storage/drivers/memory/memory.archive-storage.js';
import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';
import type { DomainEvent } from '@myfile/contract';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { failAbandonedJobs, MAX_LOST_RUNS } from '../../job-queue/jobs.repository.js';
import { archiveFolderJob, recoverAbandonedArchiveJobsJob } from './archive.job-types.js';
import {
  downloadHashes,
  folderView,
  getJob,
  postArchive,
  postRestore,
  queuedMailSubjects,
  runJobsThroughRetries,
  sha256Of,
  stateOf,
} from './archive.test-utils.js';

/** A cold tier that takes `accepted` writes and refuses every one after. */
const cold = createMemoryArchiveStorage();
const writes = { accepted: Infinity, seen: 0 };
const refusingCold: ArchiveStorage = {
  ...cold.storage,
  put: async (args) => {
    if (++writes.seen > writes.accepted) throw new Error('The cold tier refuses writes.');
    return cold.storage.put(args);
  },
};

let testApp: TestApp;
let user: TestUser;
const events: DomainEvent[] = [];

beforeAll(async () => {
  testApp = await createTestApp({ archiveStorage: refusingCold });
  user = await signUp(testApp.app);
  testApp.context.events.subscribe((event) => {
    events.push(event);
  });
});
afterAll(() => testApp.close());

const folderWithFiles = async (name: string, count: number) => {
  const folder = await createFolderVia(testApp.app, user, { name });
  const sub = await createFolderVia(testApp.app, user, { name: 'sub', parentId: folder.id });
  const contents = Array.from({ length: count }, () => randomBytes(700));
  const files: NodeDto[] = [];
  for (const [i, content] of contents.entries()) {
    const folderId = i === 0 ? sub.id : folder.id;
    files.push(await uploadOne(testApp.app, user, { name: `${i}.bin`, content, folderId }));
  }
  return { folder, sub, files, hashes: contents.map(sha256Of) };
};

const archiveUntilFailed = async (folderId: string) => {
  const { job } = (await postArchive(testApp.app, user, folderId)).json<{
    job: { id: string };
  }>();
  // Every attempt but the last is retried; the last one rolls the archive back.
  await runJobsThroughRetries(testApp, archiveFolderJob.maxAttempts);
  return getJob(testApp.app, user, job.id);
};

const fileStates = (files: NodeDto[]) =>
  Promise.all(
    files.map(async (file) => {
      const response = await testApp.app.inject({
        method: 'GET',
        url: `/api/files/${file.id}`,
        headers: user.headers,
      });
      return response.json<NodeDto>().storageState;
    }),
  );

const archiveFailedEvents = (folderId: string) =>
  events.filter((event) => event.type === 'folder.archive_failed' && event.folder.id === folderId);

describe('an archive job that runs out of attempts is rolled back', () => {
  test('a cold tier refusing every write: the folder is hot and writable again, with the reason', async () => {
    const { folder, sub, files, hashes } = await folderWithFiles('Refused', 3);
    Object.assign(writes, { accepted: 0, seen: 0 });

    const job = await archiveUntilFailed(folder.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/refuses writes/);
    // The rollback's restore ran in the same rounds: nothing had left the hot tier.
    const view = await folderView(testApp.app, user, folder.id);
    expect(view.storageState).toBe('hot');
    expect(view.archiveError).toMatch(/refuses writes/);
    expect(await stateOf(testApp.app, user, sub.id)).toBe('hot');
    expect(await downloadHashes(testApp, user, files)).toEqual(hashes);
    expect(archiveFailedEvents(folder.id)).toEqual([
      expect.objectContaining({ error: expect.stringMatching(/refuses writes/) as unknown }),
    ]);
    expect(await queuedMailSubjects(testApp)).toContain('The archive of "Refused" failed');
    const upload = await uploadOne(testApp.app, user, {
      name: 'after.txt',
      content: 'writable again',
      folderId: sub.id,
    });
    expect(upload.storageState).toBe('hot');
  });

  test('files already moved come back from the cold tier, waiting on it like any restore', async () => {
    const { folder, files, hashes } = await folderWithFiles('Half', 4);
    Object.assign(writes, { accepted: 2, seen: 0 });

    expect((await archiveUntilFailed(folder.id)).status).toBe('failed');
    // Two files wait on the cold tier's restore (the poller snoozes); the others are back.
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');
    expect((await fileStates(files)).sort()).toEqual(['hot', 'hot', 'restoring', 'restoring']);
    await runJobsThroughRetries(testApp, 2);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');

    cold.completeRestores();
    await runJobsThroughRetries(testApp, 1);
    const view = await folderView(testApp.app, user, folder.id);
    expect(view.storageState).toBe('hot');
    expect(view.archiveError).toMatch(/refuses writes/);
    expect(await downloadHashes(testApp, user, files)).toEqual(hashes);
    expect(archiveFailedEvents(folder.id)).toHaveLength(1);
  });

  test('asking again clears the reason, and a working cold tier archives it', async () => {
    const { folder } = await folderWithFiles('Again', 2);
    Object.assign(writes, { accepted: 0, seen: 0 });
    await archiveUntilFailed(folder.id);
    expect((await folderView(testApp.app, user, folder.id)).archiveError).toMatch(/refuses/);

    Object.assign(writes, { accepted: Infinity, seen: 0 });
    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    expect((await folderView(testApp.app, user, folder.id)).archiveError).toBeNull();
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
  });
});

// moto completes RestoreObject at once, so the poller's waits and a restore the cold tier
// gives up on are tested here, against the memory cold tier whose restores the test finishes.
describe('the restore poller', () => {
  test('snoozes while the cold tier restores; a failed restore leaves the folder archived, with the reason, an event and a mail', async () => {
    const { folder, files } = await folderWithFiles('Glacial', 2);
    Object.assign(writes, { accepted: Infinity, seen: 0 });
    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    const { job } = (await postRestore(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await runJobsThroughRetries(testApp, 3);
    const waiting = await getJob(testApp.app, user, job.id);
    expect(waiting.status).toBe('queued');
    expect(waiting.progress).toMatchObject({ filesPending: files.length });
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');

    cold.failRestores();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('failed');
    const view = await folderView(testApp.app, user, folder.id);
    expect(view.storageState).toBe('archived');
    expect(view.archiveError).toMatch(/did not restore/);
    expect(
      events.filter(
        (event) => event.type === 'folder.restore_failed' && event.folder.id === folder.id,
      ),
    ).toHaveLength(1);
    expect(await queuedMailSubjects(testApp)).toContain('The restore of "Glacial" failed');
  });
});

describe('a job whose workers kept dying', () => {
  // The job's lease ran out once too often: the queue's own sweep then marks it failed,
  // without the handler's failure path ever running.
  const abandon = async (jobId: string) => {
    const { db } = testApp.context.database;
    await db
      .updateTable('jobs')
      .set({
        status: 'running',
        lost_runs: MAX_LOST_RUNS,
        locked_by: 'dead-worker',
        locked_until: sql<Date>`now() - interval '1 second'`,
      })
      .where('id', '=', jobId)
      .execute();
    expect(await failAbandonedJobs(db)).toBe(1);
  };
  const recover = async () => {
    await enqueueJob(testApp.context.database.db, recoverAbandonedArchiveJobsJob, {});
    await runJobsThroughRetries(testApp, 2);
  };
  const count = (type: DomainEvent['type'], folderId: string) =>
    events.filter(
      (event) => event.type === type && 'folder' in event && event.folder.id === folderId,
    ).length;

  test('an abandoned archive is rolled back by the recovery job: hot, writable, with the reason', async () => {
    const { folder, files, hashes } = await folderWithFiles('Orphaned', 2);
    Object.assign(writes, { accepted: Infinity, seen: 0 });
    const { job } = (await postArchive(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await abandon(job.id);
    await recover();
    const view = await folderView(testApp.app, user, folder.id);
    expect(view.storageState).toBe('hot');
    expect(view.archiveError).toMatch(/stopped responding/);
    expect(await downloadHashes(testApp, user, files)).toEqual(hashes);
    expect(count('folder.archive_failed', folder.id)).toBe(1);
    // Run again: nothing is left to recover, nothing is announced twice.
    await recover();
    expect(count('folder.archive_failed', folder.id)).toBe(1);
  });

  test('an abandoned restore leaves the folder archived and readable as archived, with the reason', async () => {
    const { folder } = await folderWithFiles('Stranded', 1);
    Object.assign(writes, { accepted: Infinity, seen: 0 });
    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    const { job } = (await postRestore(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await abandon(job.id);
    await recover();
    const view = await folderView(testApp.app, user, folder.id);
    expect(view.storageState).toBe('archived');
    expect(view.archiveError).toMatch(/stopped responding/);
    expect(count('folder.restore_failed', folder.id)).toBe(1);
  });
});
