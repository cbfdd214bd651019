import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryArchiveStorage } from '../../archive-storage/drivers/memory/memory.archive-storage.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { listAll, uploadFiles, uploadOne } from '../nodes/nodes.test-utils.js';
import {
  getJob,
  makeQueuedJobsDue,
  postArchive,
  postRestore,
  sha256Of,
  stateOf,
  blobKeyOf,
} from './archive.test-utils.js';

const cold = createMemoryArchiveStorage();
let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
let other: FixtureUser;
let folder: NodeDto;
let sub: NodeDto;
let outside: NodeDto;
let fileInSub: NodeDto;
let trashedOutside: NodeDto;
const contents = [randomBytes(3000), randomBytes(10), Buffer.alloc(0)];
const files: NodeDto[] = [];

const inject = (method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: object) =>
  testApp.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  testApp = await createTestApp({ archiveStorage: cold.storage });
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
  other = await fixtures.newUser();
  folder = await fixtures.newFolder(user, { name: 'Projects' });
  sub = await fixtures.newFolder(user, { name: 'Sub', parentId: folder.id });
  outside = await fixtures.newFolder(user, { name: 'Outside' });
  for (const [i, content] of contents.entries()) {
    files.push(await fixtures.newFile(user, { name: `f${i}.bin`, content, folderId: folder.id }));
  }
  fileInSub = await fixtures.newFile(user, {
    name: 'deep.txt',
    content: 'deep',
    folderId: sub.id,
  });
  // Trashed from the folder before it is archived; restoring it back must be refused.
  const doomed = await fixtures.newFile(user, {
    name: 'old.txt',
    content: 'old',
    folderId: folder.id,
  });
  expect((await inject('DELETE', `/api/files/${doomed.id}`)).statusCode).toBe(204);
  trashedOutside = doomed;
});
afterAll(() => testApp.close());

const expect409 = async (
  response: { statusCode: number; json: () => unknown },
  code = 'folder_archived',
) => {
  expect(response.statusCode).toBe(409);
  expect(response.json()).toMatchObject({ error: { code } });
};

describe('archive', () => {
  test('202 with a job; the whole subtree is archiving at once, then archived by the job', async () => {
    const response = await postArchive(testApp.app, user, folder.id);
    expect(response.statusCode).toBe(202);
    const { job } = response.json<{ job: { id: string; status: string } }>();
    expect(job.status).toBe('queued');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archiving');
    expect(await stateOf(testApp.app, user, sub.id)).toBe('archiving');
    // The folder page can follow the job it did not start itself.
    expect((await inject('GET', `/api/folders/${folder.id}`)).json()).toMatchObject({
      archiveJobId: job.id,
      archiveError: null,
    });

    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    expect((await inject('GET', `/api/folders/${folder.id}`)).json()).toMatchObject({
      archiveJobId: null,
    });
    const listed = await listAll(testApp.app, user, { folderId: folder.id });
    expect(listed.map((item) => item.storageState)).toEqual(listed.map(() => 'archived'));
    for (const file of [...files, fileInSub]) {
      const blobKey = await blobKeyOf(testApp, file.id);
      expect(await testApp.context.blobStorage.exists({ key: blobKey })).toBe(false);
      expect(await cold.storage.exists({ key: blobKey })).toBe(true);
    }
  });

  test('archiving it again is 409 folder_archived; the root is 400; another user gets 404', async () => {
    expect((await postArchive(testApp.app, user, folder.id)).json()).toMatchObject({
      error: { code: 'folder_archived' },
    });
    expect((await postArchive(testApp.app, user, sub.id)).statusCode).toBe(409);
    expect((await postArchive(testApp.app, user, 'root')).statusCode).toBe(400);
    expect((await postArchive(testApp.app, other, folder.id)).statusCode).toBe(404);
    expect((await postRestore(testApp.app, other, folder.id)).statusCode).toBe(404);
    expect((await postRestore(testApp.app, user, outside.id)).statusCode).toBe(409);
  });

  test('listing and metadata still work and show the state', async () => {
    expect((await inject('GET', `/api/files/${files[0]?.id ?? ''}`)).json()).toMatchObject({
      storageState: 'archived',
    });
    expect((await inject('GET', `/api/folders/${sub.id}/children`)).statusCode).toBe(200);
  });
});

describe('read-only enforcement on every write path', () => {
  const file = () => files[0] as NodeDto;

  test('multipart upload, into the folder and into a subfolder', async () => {
    await expect409(
      await uploadFiles(testApp.app, user, {
        folderId: folder.id,
        files: [{ name: 'n.txt', content: 'x' }],
      }),
    );
    await expect409(
      await uploadFiles(testApp.app, user, {
        folderId: sub.id,
        files: [{ name: 'n.txt', content: 'x' }],
      }),
    );
  });

  test('tus creation', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-length': '5',
        'upload-metadata': `filename ${Buffer.from('t.txt').toString('base64')},folderId ${Buffer.from(folder.id).toString('base64')}`,
      },
    });
    await expect409(response);
  });

  test('new subfolder', async () => {
    await expect409(await inject('POST', '/api/folders', { name: 'new', parentId: folder.id }));
  });

  test('rename of the folder, a subfolder and a file', async () => {
    await expect409(await inject('PATCH', `/api/folders/${folder.id}`, { name: 'renamed' }));
    await expect409(await inject('PATCH', `/api/folders/${sub.id}`, { name: 'renamed' }));
    await expect409(await inject('PATCH', `/api/files/${file().id}`, { name: 'renamed.bin' }));
  });

  test('move in and move out', async () => {
    const loose = await uploadOne(testApp.app, user, { name: 'loose.txt', content: 'l' });
    await expect409(await inject('PATCH', `/api/files/${loose.id}`, { parentId: folder.id }));
    await expect409(await inject('PATCH', `/api/folders/${outside.id}`, { parentId: sub.id }));
    await expect409(await inject('PATCH', `/api/files/${file().id}`, { parentId: outside.id }));
    await expect409(await inject('PATCH', `/api/folders/${folder.id}`, { parentId: outside.id }));
    await expect409(await inject('PATCH', `/api/folders/${sub.id}`, { parentId: 'root' }));
  });

  test('copy into, and copy of an archived file', async () => {
    const loose = await uploadOne(testApp.app, user, { name: 'copyme.txt', content: 'c' });
    await expect409(
      await inject('POST', `/api/files/${loose.id}/copy`, { targetFolderId: folder.id }),
    );
    await expect409(
      await inject('POST', `/api/files/${file().id}/copy`, { targetFolderId: outside.id }),
      'file_archived',
    );
  });

  test('delete of a file, of the folder, of a subfolder, and of a hot parent holding it', async () => {
    await expect409(await inject('DELETE', `/api/files/${file().id}`));
    await expect409(await inject('DELETE', `/api/folders/${folder.id}?recursive=true`));
    await expect409(await inject('DELETE', `/api/folders/${sub.id}?recursive=true`));
    await expect409(await inject('POST', '/api/folders/root/empty'));
  });

  test('empty', async () => {
    await expect409(await inject('POST', `/api/folders/${folder.id}/empty`));
    await expect409(await inject('POST', `/api/folders/${sub.id}/empty`));
  });

  test('bulk move and bulk delete report folder_archived per item', async () => {
    const move = await inject('POST', '/api/bulk/move', {
      ids: [file().id],
      targetFolderId: outside.id,
    });
    const remove = await inject('POST', '/api/bulk/delete', { ids: [fileInSub.id] });
    for (const response of [move, remove]) {
      expect(response.statusCode).toBe(200);
      expect(JSON.stringify(response.json())).toContain('folder_archived');
    }
  });

  test('trash restore into it', async () => {
    await expect409(await inject('POST', `/api/trash/${trashedOutside.id}/restore`));
  });

  test('download is 409 file_archived', async () => {
    await expect409(await inject('GET', `/api/files/${file().id}/content`), 'file_archived');
  });

  test('nothing changed', async () => {
    const listed = await listAll(testApp.app, user, { folderId: folder.id });
    expect(listed.map((item) => item.name).sort()).toEqual(['Sub', 'f0.bin', 'f1.bin', 'f2.bin']);
  });
});

describe('restore', () => {
  test('restoring until the cold tier is readable, then hot with identical content, event and mail', async () => {
    const seen: string[] = [];
    const unsubscribe = testApp.context.events.subscribe((event) => {
      if (event.type.startsWith('folder.')) seen.push(event.type);
    });
    const response = await postRestore(testApp.app, user, folder.id, { tier: 'expedited' });
    expect(response.statusCode).toBe(202);
    const { job } = response.json<{ job: { id: string } }>();
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');
    await expect409(await inject('DELETE', `/api/files/${files[0]?.id ?? ''}`));

    await runQueuedJobs(testApp.context);
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');
    expect((await getJob(testApp.app, user, job.id)).status).toBe('queued');
    await expect409(
      await inject('GET', `/api/files/${files[0]?.id ?? ''}/content`),
      'file_archived',
    );

    cold.completeRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    expect(await stateOf(testApp.app, user, sub.id)).toBe('hot');
    for (const [i, content] of contents.entries()) {
      const download = await inject('GET', `/api/files/${files[i]?.id ?? ''}/content`);
      expect(download.statusCode).toBe(200);
      expect(sha256Of(download.rawPayload)).toBe(sha256Of(content));
    }
    expect(await cold.storage.exists({ key: await blobKeyOf(testApp, fileInSub.id) })).toBe(false);
    expect(seen).toContain('folder.unarchived');
    const mails = await testApp.context.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'mail.send')
      .execute();
    expect(JSON.stringify(mails)).toContain('is restored');
    unsubscribe();
    // Writable again.
    expect(
      (await inject('POST', '/api/folders', { name: 'after', parentId: folder.id })).statusCode,
    ).toBe(201);
  });

  test('a failed restore leaves the folder archived and listable, with the error on the job', async () => {
    const archive = await postArchive(testApp.app, user, sub.id);
    expect(archive.statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    const { job } = (await postRestore(testApp.app, user, sub.id)).json<{ job: { id: string } }>();
    await runQueuedJobs(testApp.context);
    cold.failRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    const failed = await getJob(testApp.app, user, job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/did not restore/);
    expect(await stateOf(testApp.app, user, sub.id)).toBe('archived');
    expect((await inject('GET', `/api/folders/${sub.id}`)).json()).toMatchObject({
      archiveError: failed.error,
      archiveJobId: null,
    });
    expect(
      (await listAll(testApp.app, user, { folderId: sub.id })).map((i) => i.storageState),
    ).toEqual(['archived']);
    await expect409(await inject('GET', `/api/files/${fileInSub.id}/content`), 'file_archived');

    // A second attempt that succeeds.
    const again = (await postRestore(testApp.app, user, sub.id)).json<{ job: { id: string } }>();
    expect((await inject('GET', `/api/folders/${sub.id}`)).json()).toMatchObject({
      archiveError: null,
      archiveJobId: again.job.id,
    });
    await runQueuedJobs(testApp.context);
    cold.completeRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect((await getJob(testApp.app, user, again.job.id)).status).toBe('done');
    const download = await inject('GET', `/api/files/${fileInSub.id}/content`);
    expect(download.body).toBe('deep');
  });

  test('a restore with no body at all is a standard one; an unknown tier is 400 and changes nothing', async () => {
    expect((await postArchive(testApp.app, user, outside.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    const bad = await postRestore(testApp.app, user, outside.id, { tier: 'instant' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(await stateOf(testApp.app, user, outside.id)).toBe('archived');
    const bare = await testApp.app.inject({
      method: 'POST',
      url: `/api/folders/${outside.id}/restore`,
      headers: user.headers,
    });
    expect(bare.statusCode).toBe(202);
    const { job } = bare.json<{ job: { id: string } }>();
    const row = await testApp.context.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row.payload).toMatchObject({ tier: 'standard' });
    await runQueuedJobs(testApp.context);
    cold.completeRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, outside.id)).toBe('hot');
  });

  test('a restore asked inside an archived folder brings back the whole archived folder', async () => {
    expect((await postArchive(testApp.app, user, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    const response = await postRestore(testApp.app, user, sub.id);
    expect(response.statusCode).toBe(202);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('restoring');
    expect((await inject('GET', `/api/folders/${folder.id}`)).json()).toMatchObject({
      archiveJobId: response.json<{ job: { id: string } }>().job.id,
    });
    await runQueuedJobs(testApp.context);
    cold.completeRestores();
    await makeQueuedJobsDue(testApp);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    expect(await stateOf(testApp.app, user, sub.id)).toBe('hot');
  });
});

test('the cold tier is told to signed-in users for the wording (a restore from disk is quick); not to anyone else', async () => {
  const answer = await inject('GET', '/api/archive/tier');
  expect(answer.statusCode).toBe(200);
  expect(answer.json()).toEqual({ cold: 'disk', restore: 'immediate' });
  const anonymous = await testApp.app.inject({ method: 'GET', url: '/api/archive/tier' });
  expect(anonymous.statusCode).toBe(401);
});
