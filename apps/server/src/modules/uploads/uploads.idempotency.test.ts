import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, multipartBody } from '../nodes/nodes.test-utils.js';
import { createExpireTusUploadsHandler } from './uploads.jobs.js';
import { createTusDataStore } from './uploads.tus.js';

const MAX_UPLOAD = 64 * 1024;
let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

const upload = (
  as: Pick<FixtureUser, 'headers'>,
  {
    folderId,
    key,
    files,
    onConflict,
  }: {
    folderId: string;
    key?: string;
    files: { name: string; content: Buffer | string }[];
    onConflict?: 'rename' | 'replace';
  },
) => {
  const { payload, contentType } = multipartBody(files);
  return testApp.app.inject({
    method: 'POST',
    url: `/api/folders/${folderId}/files${onConflict ? `?onConflict=${onConflict}` : ''}`,
    headers: {
      ...as.headers,
      'content-type': contentType,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    payload,
  });
};

const namesIn = async (folderId: string, as = user) =>
  (await listAll(testApp.app, as, { folderId })).map((node) => node.name).sort();

describe('Idempotency-Key on multipart uploads', () => {
  test('a retry with the same key and files answers the first 201 again and stores no copy', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: `idem-${randomUUID()}` });
    const key = randomUUID();
    const files = [
      { name: 'report.pdf', content: randomBytes(5000) },
      { name: 'notes.txt', content: 'hello' },
    ];
    const first = await upload(user, { folderId: folder.id, key, files });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await upload(user, { folderId: folder.id, key, files });
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await namesIn(folder.id)).toEqual(['notes.txt', 'report.pdf']);

    // Without a key, the same upload is a new one, renamed beside the first.
    const unkeyed = await upload(user, { folderId: folder.id, files: files.slice(1) });
    expect(unkeyed.json<{ files: NodeDto[] }>().files[0]?.name).toBe('notes (1).txt');
  });

  test('the same key with other files, another folder or another onConflict is 422 idempotency_key_reused', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: `idem-${randomUUID()}` });
    const other = await createFolderVia(testApp.app, user, { name: `idem-${randomUUID()}` });
    const key = randomUUID();
    const files = [{ name: 'a.txt', content: 'first' }];
    expect((await upload(user, { folderId: folder.id, key, files })).statusCode).toBe(201);
    for (const changed of [
      upload(user, { folderId: folder.id, key, files: [{ name: 'a.txt', content: 'other' }] }),
      upload(user, { folderId: folder.id, key, files: [{ name: 'b.txt', content: 'first' }] }),
      upload(user, { folderId: other.id, key, files }),
      upload(user, { folderId: folder.id, key, files, onConflict: 'replace' }),
    ]) {
      const answer = await changed;
      expect(answer.statusCode, answer.body).toBe(422);
      expect(answer.json()).toEqual({
        error: {
          code: 'idempotency_key_reused',
          message: expect.stringContaining('different request') as string,
          field: 'Idempotency-Key',
        },
      });
    }
    expect(await namesIn(folder.id)).toEqual(['a.txt']);
    expect(await namesIn(other.id)).toEqual([]);
  });

  test('a failed upload gives its key back: the retry runs for real', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: `idem-${randomUUID()}` });
    const key = randomUUID();
    const tooLarge = await upload(user, {
      folderId: folder.id,
      key,
      files: [{ name: 'big.bin', content: randomBytes(MAX_UPLOAD + 1) }],
    });
    expect(tooLarge.statusCode).toBe(413);
    const retry = await upload(user, {
      folderId: folder.id,
      key,
      files: [{ name: 'big.bin', content: randomBytes(100) }],
    });
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  test('keys are per user: another user’s key of the same value is theirs', async () => {
    const other = await fixtures.newUser();
    const key = randomUUID();
    const files = [{ name: 'shared-name.txt', content: 'x' }];
    expect((await upload(user, { folderId: 'root', key, files })).statusCode).toBe(201);
    const theirs = await upload(other, { folderId: 'root', key, files });
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await namesIn('root', other)).toContain('shared-name.txt');
  });

  test('while the first request still runs, a retry is 409 conflict', async () => {
    const key = randomUUID();
    await testApp.context.database.db
      .insertInto('idempotency_keys')
      .values({
        user_id: user.userId,
        key,
        target: 'POST /api/folders/root/files?onConflict=rename',
        body_digest: null,
        status: null,
        response: null,
      })
      .execute();
    const answer = await upload(user, {
      folderId: 'root',
      key,
      files: [{ name: 'x.txt', content: 'x' }],
    });
    expect(answer.statusCode, answer.body).toBe(409);
    expect(answer.json<{ error: { code: string } }>().error.code).toBe('conflict');
  });

  test('a malformed key is 400 naming the header', async () => {
    const answer = await upload(user, {
      folderId: 'root',
      key: 'has space',
      files: [{ name: 'x.txt', content: 'x' }],
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json<{ error: { field: string } }>().error.field).toBe('Idempotency-Key');
  });

  test('after 24 hours a key is forgotten: the hourly uploads.expire job deletes it, and the key is new again', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: `idem-${randomUUID()}` });
    const key = randomUUID();
    const files = [{ name: 'old.txt', content: 'old' }];
    expect((await upload(user, { folderId: folder.id, key, files })).statusCode).toBe(201);
    const db = testApp.context.database.db;
    await db
      .updateTable('idempotency_keys')
      .set({ created_at: sql<Date>`now() - interval '25 hours'` })
      .where('key', '=', key)
      .execute();
    const handler = createExpireTusUploadsHandler({
      db,
      datastore: await createTusDataStore(testApp.context.config),
    });
    const result = await handler.run(
      {},
      {
        jobId: 'test',
        attempt: 1,
        signal: new AbortController().signal,
        reportProgress: async () => {},
      },
    );
    expect(result).toMatchObject({ idempotencyKeysDeleted: 1 });
    expect(
      await db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute(),
    ).toEqual([]);
    const again = await upload(user, { folderId: folder.id, key, files });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await namesIn(folder.id)).toEqual(['old (1).txt', 'old.txt']);
  });
});
