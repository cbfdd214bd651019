import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { userActor } from '../access/access.models.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { listAll, multipartBody, uploadFiles, uploadOne } from '../nodes/nodes.test-utils.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { referencedBlobKeys } from '../versions/versions.test-utils.js';
import { uploadFilesTogether } from './uploads.usecases.js';

/** `If-Match` on replace uploads (multipart and tus): optimistic concurrency on the content. */
let testApp: TestApp;
let fixtures: Fixtures;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

const etagOf = async (user: FixtureUser, id: string) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${id}`,
    headers: user.headers,
  });
  expect(response.statusCode).toBe(200);
  return String(response.headers.etag);
};

const replace = (user: FixtureUser, name: string, content: string, ifMatch?: string) => {
  const { payload, contentType } = multipartBody([{ name, content }]);
  return testApp.app.inject({
    method: 'POST',
    url: '/api/folders/root/files?onConflict=replace',
    headers: {
      ...user.headers,
      'content-type': contentType,
      ...(ifMatch !== undefined ? { 'if-match': ifMatch } : {}),
    },
    payload,
  });
};

const rowOf = (id: string) =>
  testApp.context.database.db
    .selectFrom('nodes')
    .select(['sha256', 'size', 'blob_key', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const usageOf = (userId: string) =>
  testApp.context.database.db
    .selectFrom('storage_usage')
    .select(['used_bytes', 'reserved_bytes', 'reserved_uploads'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();

const blobKeys = async (store: BlobStorage) => {
  const keys: string[] = [];
  for await (const blob of store.list({})) if (/^[0-9a-f]{2}\//.test(blob.key)) keys.push(blob.key);
  return keys;
};

/** Every blob in the store belongs to a row once queued deletions ran: nothing staged is left. */
const expectNoOrphanBlobs = async () => {
  await runQueuedJobs(testApp.context);
  expect(new Set(await blobKeys(testApp.context.blobStorage))).toEqual(
    await referencedBlobKeys(testApp.context.database.db),
  );
};

describe('multipart replace with If-Match', () => {
  test('a matching If-Match (or *) replaces; a stale one is 412 and changes nothing', async () => {
    const user = await fixtures.newUser();
    const file = await uploadOne(testApp.app, user, { name: 'doc.txt', content: 'one' });
    const tag = await etagOf(user, file.id);

    const replaced = await replace(user, 'doc.txt', 'two!', `"other", ${tag}`);
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json<{ files: NodeDto[] }>().files[0]).toMatchObject({
      id: file.id,
      sha256: sha256('two!'),
    });

    // `tag` names the version before that replace.
    const before = { row: await rowOf(file.id), usage: await usageOf(user.userId) };
    const stale = await replace(user, 'doc.txt', 'three, longer', tag);
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/json/);
    expect(stale.json()).toMatchObject({ error: { code: 'precondition_failed' } });
    expect(await rowOf(file.id)).toEqual(before.row);
    expect(await usageOf(user.userId)).toEqual(before.usage);
    await expectNoOrphanBlobs();

    const any = await replace(user, 'doc.txt', 'four', '*');
    expect(any.statusCode).toBe(201);
    expect((await rowOf(file.id)).sha256).toBe(sha256('four'));
  });

  test('If-Match: * on a name with no file is 412 and creates nothing; with another onConflict, 400', async () => {
    const user = await fixtures.newUser();
    const missing = await replace(user, 'nothing-here.txt', 'x', '*');
    expect(missing.statusCode).toBe(412);
    expect(missing.json()).toMatchObject({ error: { code: 'precondition_failed' } });
    const { payload, contentType } = multipartBody([{ name: 'a.txt', content: 'x' }]);
    const renamed = await testApp.app.inject({
      method: 'POST',
      url: '/api/folders/root/files?onConflict=rename',
      headers: { ...user.headers, 'content-type': contentType, 'if-match': '*' },
      payload,
    });
    expect(renamed.statusCode).toBe(400);
    expect(await listAll(testApp.app, user)).toEqual([]);
    await expectNoOrphanBlobs();
  });

  test('an Idempotency-Key names the If-Match too: the same key with another If-Match is 422', async () => {
    const user = await fixtures.newUser();
    const file = await uploadOne(testApp.app, user, { name: 'key.txt', content: 'one' });
    const tag = await etagOf(user, file.id);
    const send = (ifMatch: string) => {
      const { payload, contentType } = multipartBody([{ name: 'key.txt', content: 'two' }]);
      return testApp.app.inject({
        method: 'POST',
        url: '/api/folders/root/files?onConflict=replace',
        headers: {
          ...user.headers,
          'content-type': contentType,
          'idempotency-key': 'replace-once',
          'if-match': ifMatch,
        },
        payload,
      });
    };
    expect((await send(tag)).statusCode).toBe(201);
    const replayed = await send(tag);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const other = await send('*');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });

  test('two replaces racing with the same If-Match: exactly one wins, the other is 412', async () => {
    const user = await fixtures.newUser();
    const file = await uploadOne(testApp.app, user, { name: 'race.txt', content: 'base' });
    // Every earlier content stays as a version and counts: the usage only grows by the winner.
    let used = 'base'.length;
    // Several rounds: how the two interleave varies, and each round must hold.
    for (let round = 0; round < 6; round++) {
      const tag = await etagOf(user, file.id);
      const answers = await Promise.all([
        replace(user, 'race.txt', `from A ${round}`, tag),
        replace(user, 'race.txt', `from B ${round}!`, tag),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 412]);
      const winner = answers.find((answer) => answer.statusCode === 201);
      const [won] = winner?.json<{ files: NodeDto[] }>().files ?? [];
      expect((await rowOf(file.id)).sha256).toBe(won?.sha256);
      used += won?.size ?? Number.NaN;
      expect((await usageOf(user.userId)).used_bytes).toBe(used);
    }
    await expectNoOrphanBlobs();
  });

  test('a replace that lands while the bytes stream is caught at the commit: 412, nothing changed', async () => {
    const user = await fixtures.newUser();
    const file = await uploadOne(testApp.app, user, { name: 'slow.txt', content: 'base' });
    const tag = await etagOf(user, file.id);
    let sneaked = 0;
    // The check before streaming passes; the other replace commits while this body is read.
    const body = Readable.from(
      (async function* () {
        sneaked = (await replace(user, 'slow.txt', 'sneaked in', tag)).statusCode;
        yield Buffer.from('too late, and longer than the rest');
      })(),
    );
    const parts = (async function* () {
      yield { filename: 'slow.txt', file: body };
    })();
    await expect(
      uploadFilesTogether({
        ...toFilesDeps(testApp.context),
        actor: userActor(user.userId),
        folderId: 'root',
        onConflict: 'replace',
        parts,
        ifMatch: tag,
      }),
    ).rejects.toMatchObject({ statusCode: 412, code: 'precondition_failed' });
    expect(sneaked).toBe(201);
    expect((await rowOf(file.id)).sha256).toBe(sha256('sneaked in'));
    // The sneaked-in replace kept 'base' as a version; the late one added nothing.
    expect((await usageOf(user.userId)).used_bytes).toBe('base'.length + 'sneaked in'.length);
    await expectNoOrphanBlobs();
  });
});

describe('tus replace with If-Match', () => {
  const meta = (name: string) =>
    [
      `filename ${Buffer.from(name).toString('base64')}`,
      `onConflict ${Buffer.from('replace').toString('base64')}`,
    ].join(',');

  const create = (user: FixtureUser, name: string, length: number, ifMatch: string) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(length),
        'upload-metadata': meta(name),
        'if-match': ifMatch,
      },
    });

  const send = (user: FixtureUser, location: unknown, data: string) =>
    testApp.app.inject({
      method: 'PATCH',
      url: new URL(String(location), 'http://x').pathname,
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: Buffer.from(data),
    });

  test('If-Match is checked at creation and again at completion', async () => {
    const user = await fixtures.newUser();
    const file = await uploadOne(testApp.app, user, { name: 'tus.txt', content: 'one' });
    const tag = await etagOf(user, file.id);

    // A stale tag refuses the creation itself: nothing reserved.
    const refused = await create(user, 'tus.txt', 5, '"stale"');
    expect(refused.statusCode).toBe(412);
    expect(refused.json()).toMatchObject({ error: { code: 'precondition_failed' } });
    expect(await usageOf(user.userId)).toMatchObject({ reserved_bytes: 0, reserved_uploads: 0 });

    // Matching at creation and at completion: replaced.
    const matching = await create(user, 'tus.txt', 3, tag);
    expect(matching.statusCode).toBe(201);
    const done = await send(user, matching.headers.location, 'two');
    expect(done.statusCode).toBe(204);
    expect(done.headers['x-file-id']).toBe(file.id);
    expect((await rowOf(file.id)).sha256).toBe(sha256('two'));

    // Matching at creation, but the file is replaced before the upload completes: 412 at the
    // end, the file as the other replace left it, the upload and its reservation gone.
    const current = await etagOf(user, file.id);
    const late = await create(user, 'tus.txt', 10, current);
    expect(late.statusCode).toBe(201);
    expect((await replace(user, 'tus.txt', 'other', current)).statusCode).toBe(201);
    const before = { row: await rowOf(file.id), usage: await usageOf(user.userId) };
    const lost = await send(user, late.headers.location, '0123456789');
    expect(lost.statusCode).toBe(412);
    expect(lost.json()).toMatchObject({ error: { code: 'precondition_failed' } });
    expect(await rowOf(file.id)).toEqual(before.row);
    expect(await usageOf(user.userId)).toEqual({
      used_bytes: before.usage.used_bytes,
      reserved_bytes: 0,
      reserved_uploads: 0,
    });
    const gone = await testApp.app.inject({
      method: 'HEAD',
      url: new URL(String(late.headers.location), 'http://x').pathname,
      headers: { ...user.headers, 'tus-resumable': '1.0.0' },
    });
    expect(gone.statusCode).toBe(404);
    await expectNoOrphanBlobs();
  });

  test('If-Match: * on a tus creation needs an existing file', async () => {
    const user = await fixtures.newUser();
    const refused = await create(user, 'absent.txt', 3, '*');
    expect(refused.statusCode).toBe(412);
    await uploadFiles(testApp.app, user, { files: [{ name: 'absent.txt', content: 'now' }] });
    expect((await create(user, 'absent.txt', 3, '*')).statusCode).toBe(201);
  });
});
