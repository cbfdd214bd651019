import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import {
  createFolderVia,
  listAll,
  signUp,
  uploadOne,
  type TestUser,
} from '../nodes/nodes.test-utils.js';
import {
  createFlakyColdTier,
  downloadHashes,
  getJob,
  makeQueuedJobsDue,
  postArchive,
  postRestore,
  sha256Of,
  stateOf,
} from './archive.test-utils.js';

/**
 * A run cut short mid-way: the cold tier fails after `after` calls while `broken`. (A real
 * worker killed with SIGKILL is in archive.sigkill.faults.test.ts.)
 */
const cold = createFlakyColdTier();

const contents = Array.from({ length: 5 }, (_, i) => randomBytes(500 + i));

const statesIn = async (testApp: TestApp, user: TestUser, folderId: string) =>
  (await listAll(testApp.app, user, { folderId })).map((item) => item.storageState).sort();

describe('a run cut short mid-archive and mid-restore is resumed by the next run', () => {
  let testApp: TestApp;
  let user: TestUser;
  let folder: NodeDto;
  const files: NodeDto[] = [];
  beforeAll(async () => {
    testApp = await createTestApp({ archiveStorage: cold.storage });
    user = await signUp(testApp.app);
    folder = await createFolderVia(testApp.app, user, { name: 'Big' });
    for (const [i, content] of contents.entries()) {
      files.push(
        await uploadOne(testApp.app, user, { name: `${i}.bin`, content, folderId: folder.id }),
      );
    }
  });
  afterAll(() => testApp.close());

  test('archive: stops after two files, the next run archives the rest', async () => {
    cold.failAfter(2);
    const { job } = (await postArchive(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await runQueuedJobs(testApp.context);
    const interrupted = await getJob(testApp.app, user, job.id);
    expect(interrupted.status).toBe('queued');
    expect(interrupted.error).toMatch(/went away/);
    expect(await statesIn(testApp, user, folder.id)).toEqual([
      'archived',
      'archived',
      'archiving',
      'archiving',
      'archiving',
    ]);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archiving');

    cold.heal();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    expect(await statesIn(testApp, user, folder.id)).toEqual(files.map(() => 'archived'));
  });

  test('restore: stops after two files copied back, the next run restores the rest', async () => {
    const { job } = (await postRestore(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await runQueuedJobs(testApp.context);
    cold.completeRestores();
    cold.failAfter(2);
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('queued');
    expect(await statesIn(testApp, user, folder.id)).toEqual([
      'hot',
      'hot',
      'restoring',
      'restoring',
      'restoring',
    ]);

    cold.heal();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    expect(await downloadHashes(testApp, user, files)).toEqual(contents.map(sha256Of));
  });
});

describe('end to end on the disk cold tier (gzip under DATA_DIR/archive)', () => {
  let testApp: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    testApp = await createTestApp();
    user = await signUp(testApp.app);
  });
  afterAll(() => testApp.close());

  test('archive compresses to disk, restore brings back identical bytes', async () => {
    expect(testApp.context.archiveStorage.driverName).toBe('fs');
    const folder = await createFolderVia(testApp.app, user, { name: 'Disk' });
    const content = Buffer.from('hello archive '.repeat(1000));
    const file = await uploadOne(testApp.app, user, {
      name: 'a.txt',
      content,
      folderId: folder.id,
    });

    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    const archived = await fs.readdir(path.join(testApp.dataDir, 'archive'), { recursive: true });
    expect(archived.some((name) => name.endsWith('.gz'))).toBe(true);

    const { job } = (await postRestore(testApp.app, user, folder.id, { tier: 'bulk' })).json<{
      job: { id: string };
    }>();
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    expect(await downloadHashes(testApp, user, [file])).toEqual([sha256Of(content)]);
  });
});
