import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { referencedBlobKeys } from '../versions/versions.test-utils.js';
import {
  createFolderVia,
  listAll,
  multipartBody,
  uploadFiles,
  uploadOne,
} from '../nodes/nodes.test-utils.js';

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

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const blobKeys = async (store: BlobStorage) => {
  const keys: string[] = [];
  for await (const blob of store.list({})) if (/^[0-9a-f]{2}\//.test(blob.key)) keys.push(blob.key);
  return keys;
};

/** Every blob in the store belongs to a row, once queued blob deletions have run. */
const expectNoOrphanBlobs = async () => {
  await runQueuedJobs(testApp.context);
  expect(new Set(await blobKeys(testApp.context.blobStorage))).toEqual(
    await referencedBlobKeys(testApp.context.database.db),
  );
};

const fileRowCount = async (ownerId: string) =>
  (
    await testApp.context.database.db
      .selectFrom('nodes')
      .select('id')
      .where('owner_id', '=', ownerId)
      .where('is_folder', '=', false)
      .execute()
  ).length;

const waitUntil = async (probe: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
};

/** The app on a real port, for tests about the connection itself. */
const listening = async () => {
  if (!testApp.app.server.listening) await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address;
};

describe('multipart upload', () => {
  test('stores several files with size, SHA-256 and a sniffed content type', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'uploads' });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const response = await uploadFiles(testApp.app, user, {
      folderId: folder.id,
      files: [
        { name: 'pixel.txt', content: png, type: 'text/html' },
        { name: 'notes.bin', content: 'hello world\n', type: 'image/png' },
        { name: 'empty', content: '' },
      ],
    });
    expect(response.statusCode).toBe(201);
    const files = response.json<{ files: NodeDto[] }>().files;
    expect(files.map((file) => [file.name, file.contentType, file.size, file.sha256])).toEqual([
      ['pixel.txt', 'image/png', png.length, sha256(png)],
      ['notes.bin', 'text/plain', 12, sha256('hello world\n')],
      ['empty', 'application/octet-stream', 0, sha256('')],
    ]);
  });

  test('onConflict: rename (default) numbers the copies, fail is 409, replace keeps the id', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'conflicts' });
    const first = await uploadOne(testApp.app, user, {
      name: 'a.txt',
      content: 'one',
      folderId: folder.id,
    });
    const second = await uploadOne(testApp.app, user, {
      name: 'A.txt',
      content: 'two',
      folderId: folder.id,
    });
    const third = await uploadOne(testApp.app, user, {
      name: 'a.txt',
      content: 'three',
      folderId: folder.id,
    });
    expect([second.name, third.name]).toEqual(['A (1).txt', 'a (2).txt']);

    const failed = await uploadFiles(testApp.app, user, {
      folderId: folder.id,
      files: [{ name: 'a.txt', content: 'four' }],
      onConflict: 'fail',
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json()).toMatchObject({ error: { code: 'name_conflict' } });

    const replaced = await uploadFiles(testApp.app, user, {
      folderId: folder.id,
      files: [{ name: 'a.txt', content: 'replaced!' }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode).toBe(201);
    const [file] = replaced.json<{ files: NodeDto[] }>().files;
    expect(file).toMatchObject({ id: first.id, size: 9, sha256: sha256('replaced!') });
    expect(await listAll(testApp.app, user, { folderId: folder.id })).toHaveLength(3);
  });

  test('an invalid or path-traversal filename is 400 and stores nothing', async () => {
    const before = await blobKeys(testApp.context.blobStorage);
    for (const name of ['../../etc/passwd', 'a/b.txt', 'evil\u0007.txt', '..']) {
      const response = await uploadFiles(testApp.app, user, { files: [{ name, content: 'x' }] });
      expect(response.statusCode, name).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect(await blobKeys(testApp.context.blobStorage)).toEqual(before);
  });

  test('MAX_UPLOAD_BYTES answers 413 too_large and leaves no row and no blob', async () => {
    const other = await fixtures.newUser();
    const response = await uploadFiles(testApp.app, other, {
      files: [{ name: 'big.bin', content: randomBytes(MAX_UPLOAD + 1) }],
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'too_large' } });
    expect(await fileRowCount(other.userId)).toBe(0);
    const exact = await uploadOne(testApp.app, other, {
      name: 'max.bin',
      content: randomBytes(MAX_UPLOAD),
    });
    expect(exact.size).toBe(MAX_UPLOAD);
    await expectNoOrphanBlobs();
  });

  test('a client that disconnects mid-upload leaves no row and no blob', async () => {
    const other = await fixtures.newUser();
    const address = await listening();
    const { payload, contentType } = multipartBody([
      { name: 'cut.bin', content: randomBytes(60_000) },
    ]);
    const socket = net.connect(address.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/folders/root/files HTTP/1.1\r\nHost: localhost\r\nCookie: ${other.cookieHeader}\r\n` +
        `X-CSRF-Token: ${other.csrfToken}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n\r\n`,
    );
    socket.write(payload.subarray(0, 30_000));
    await sleep(200);
    socket.destroy();
    await sleep(500);
    expect(await fileRowCount(other.userId)).toBe(0);
    await expectNoOrphanBlobs();
  });

  /** Runs `during` once the upload is past its first checks and its bytes are streaming. */
  const whileStreaming = async <T>(during: () => Promise<void>, upload: () => Promise<T>) => {
    const store = testApp.context.blobStorage;
    const originalPut = store.put.bind(store);
    (store as { put: BlobStorage['put'] }).put = async (args) => {
      await during();
      return originalPut(args);
    };
    try {
      return await upload();
    } finally {
      (store as { put: BlobStorage['put'] }).put = originalPut;
    }
  };

  /** `late.txt` uploaded into `folderId` while the folder starts being archived. */
  const uploadWhileArchiving = (owner: FixtureUser, folderId: string) =>
    whileStreaming(
      async () => {
        await testApp.context.database.db
          .updateTable('nodes')
          .set({ storage_state: 'archiving' })
          .where('id', '=', folderId)
          .execute();
      },
      () =>
        uploadFiles(testApp.app, owner, {
          folderId,
          files: [{ name: 'late.txt', content: 'late' }],
        }),
    );

  test('a folder trashed or archived while the bytes stream gets nothing: 404, 409', async () => {
    const other = await fixtures.newUser();
    const trashed = await createFolderVia(testApp.app, other, { name: 'trashed' });
    const gone = await whileStreaming(
      async () => {
        await testApp.app.inject({
          method: 'DELETE',
          url: `/api/folders/${trashed.id}`,
          headers: other.headers,
        });
      },
      () =>
        uploadFiles(testApp.app, other, {
          folderId: trashed.id,
          files: [{ name: 'late.txt', content: 'late' }],
        }),
    );
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'not_found' } });

    const archived = await createFolderVia(testApp.app, other, { name: 'archived' });
    const frozen = await uploadWhileArchiving(other, archived.id);
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json()).toMatchObject({ error: { code: 'folder_archived' } });
    expect(await fileRowCount(other.userId)).toBe(0);
    await expectNoOrphanBlobs();
  });

  test('a store error leaves no row', async () => {
    const other = await fixtures.newUser();
    const store = testApp.context.blobStorage;
    const originalPut = store.put.bind(store);
    (store as { put: BlobStorage['put'] }).put = async () => {
      throw new Error('disk on fire');
    };
    try {
      const response = await uploadFiles(testApp.app, other, {
        files: [{ name: 'x.txt', content: 'x' }],
      });
      expect(response.statusCode).toBe(500);
    } finally {
      (store as { put: BlobStorage['put'] }).put = originalPut;
    }
    expect(await fileRowCount(other.userId)).toBe(0);
    await expectNoOrphanBlobs();
  });

  test("a text file's row and its index job commit together: a refused job keeps no file", async () => {
    const other = await fixtures.newUser();
    const { db } = testApp.context.database;
    // The job's insert fails after the file's row was written: stood in for by a trigger.
    await sql`
      create function test_refuse_extract_job() returns trigger language plpgsql as $$
      begin raise exception 'no index job'; end $$`.execute(db);
    await sql`
      create trigger refuse_extract_job before insert on jobs for each row
      when (new.name = 'search.extract-text')
      execute function test_refuse_extract_job()`.execute(db);
    try {
      const response = await uploadFiles(testApp.app, other, {
        files: [{ name: 'notes.txt', content: 'words to find' }],
      });
      expect(response.statusCode).toBe(500);
    } finally {
      await sql`drop trigger refuse_extract_job on jobs`.execute(db);
      await sql`drop function test_refuse_extract_job()`.execute(db);
    }
    expect(await fileRowCount(other.userId)).toBe(0);
    await expectNoOrphanBlobs();
    // With the job accepted, the same upload stores the file and queues its indexing.
    const stored = await uploadOne(testApp.app, other, { name: 'notes.txt', content: 'words' });
    const jobs = await db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'search.extract-text')
      .execute();
    expect(jobs.map(({ payload }) => payload)).toContainEqual(
      expect.objectContaining({ fileId: stored.id }),
    );
  });

  /** The jobs (text index, thumbnail) queued for these files, by kind. */
  const jobsFor = async (fileIds: string[]) =>
    (
      await testApp.context.database.db
        .selectFrom('jobs')
        .select(['name', 'payload'])
        .where('name', 'in', ['search.extract-text', 'thumbnails.render'])
        .execute()
    )
      .filter(({ payload }) => fileIds.includes((payload as { fileId: string }).fileId))
      .map(({ name, payload }) => [name, (payload as { fileId: string }).fileId]);

  const jobCount = async () =>
    (await testApp.context.database.db.selectFrom('jobs').select('id').execute()).length;

  test('a new text file and its index job are one statement, with no transaction around it', async () => {
    const other = await fixtures.newUser();
    const { db } = testApp.context.database;
    const statements = vi.spyOn(db.getExecutor(), 'executeQuery');
    const transactions = vi.spyOn(db, 'transaction');
    let stored: NodeDto;
    try {
      stored = await uploadOne(testApp.app, other, { name: 'one.txt', content: 'one statement' });
      expect(transactions).not.toHaveBeenCalled();
      const writes = statements.mock.calls
        .map(([query]) => query.sql)
        .filter((text) => /\binsert into\b/i.test(text));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(/insert into "?nodes"?/);
      expect(writes[0]).toMatch(/insert into "?jobs"?/);
    } finally {
      statements.mockRestore();
      transactions.mockRestore();
    }
    expect(await jobsFor([stored.id])).toEqual([['search.extract-text', stored.id]]);
  });

  test("a PDF's thumbnail and index jobs are both written with it", async () => {
    const other = await fixtures.newUser();
    const stored = await uploadOne(testApp.app, other, {
      name: 'paper.pdf',
      content: '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n',
    });
    expect(stored.contentType).toBe('application/pdf');
    expect((await jobsFor([stored.id])).sort()).toEqual([
      ['search.extract-text', stored.id],
      ['thumbnails.render', stored.id],
    ]);
  });

  test('a taken name under rename: one job, for the file under the free name it got', async () => {
    const other = await fixtures.newUser();
    const first = await uploadOne(testApp.app, other, { name: 'same.txt', content: 'first' });
    // The second's first attempt finds the name taken and writes nothing, its job included.
    const second = await uploadOne(testApp.app, other, { name: 'same.txt', content: 'second' });
    expect(second.name).toBe('same (1).txt');
    expect(await jobsFor([first.id, second.id])).toEqual([
      ['search.extract-text', first.id],
      ['search.extract-text', second.id],
    ]);
  });

  test('a text file refused as its row is written (folder archived, quota lowered) queues no job', async () => {
    const other = await fixtures.newUser({ quotaBytes: 1000 });
    const { db } = testApp.context.database;
    const folder = await createFolderVia(testApp.app, other, { name: 'freezing' });
    const jobsBefore = await jobCount();
    const frozen = await uploadWhileArchiving(other, folder.id);
    expect(frozen.statusCode).toBe(409);
    const over = await whileStreaming(
      async () => {
        await db
          .updateTable('storage_usage')
          .set({ quota_bytes: 1 })
          .where('user_id', '=', other.userId)
          .execute();
      },
      () => uploadFiles(testApp.app, other, { files: [{ name: 'big.txt', content: 'too big' }] }),
    );
    expect(over.statusCode).toBe(413);
    expect(await fileRowCount(other.userId)).toBe(0);
    expect(await jobCount()).toBe(jobsBefore);
    await expectNoOrphanBlobs();
  });
});

describe('several files in one request: all or nothing', () => {
  const usageOf = async (owner: FixtureUser) =>
    (await testApp.app.inject({ method: 'GET', url: '/api/usage', headers: owner.headers })).json<{
      usedBytes: number;
      fileCount: number;
    }>();

  /** Nothing of the failed request exists: no row, no blob, the quota as it was. */
  const expectNothingStored = async (owner: FixtureUser, rowsBefore: number) => {
    expect(await fileRowCount(owner.userId)).toBe(rowsBefore);
    await expectNoOrphanBlobs();
  };

  test('a name taken under onConflict=fail refuses the whole request, naming the file', async () => {
    const owner = await fixtures.newUser();
    await uploadOne(testApp.app, owner, { name: 'b.txt', content: 'already here' });
    const usage = await usageOf(owner);
    const response = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'a.txt', content: 'first' },
        { name: 'b.txt', content: 'second' },
        { name: 'c.txt', content: 'third' },
      ],
      onConflict: 'fail',
    });
    expect(response.statusCode).toBe(409);
    const { error } = response.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('name_conflict');
    expect(error.message).toMatch(/^"b\.txt" \(file 2\): .*Nothing from this upload was stored/);
    expect(await usageOf(owner)).toEqual(usage);
    await expectNothingStored(owner, 1);

    // Two parts of the same request under one name clash too.
    const twice = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'd.txt', content: 'one' },
        { name: 'D.txt', content: 'two' },
      ],
      onConflict: 'fail',
    });
    expect(twice.statusCode).toBe(409);
    // Refused as the second part arrives, before its bytes are stored.
    expect(twice.json()).toMatchObject({
      error: {
        code: 'name_conflict',
        message: expect.stringMatching(/^"D\.txt" \(file 2\)/) as string,
      },
    });
    await expectNothingStored(owner, 1);
  });

  test('parts that fit the quota alone but not together: 413, nothing kept, usage unchanged', async () => {
    const owner = await fixtures.newUser({ quotaBytes: 1000 });
    const response = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'a.bin', content: randomBytes(600) },
        { name: 'b.bin', content: randomBytes(600) },
      ],
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      error: { code: 'quota_exceeded', message: expect.stringContaining('"b.bin"') as string },
    });
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 0, fileCount: 0 });
    await expectNothingStored(owner, 0);
  });

  test('a bad name or an oversized file after good ones: 400, 413, nothing kept', async () => {
    const owner = await fixtures.newUser();
    const badName = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'fine.txt', content: 'fine' },
        { name: '../escape.txt', content: 'bad' },
      ],
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const tooBig = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'fine.txt', content: 'fine' },
        { name: 'big.bin', content: randomBytes(MAX_UPLOAD + 1) },
        { name: 'after.txt', content: 'never read' },
      ],
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ error: { code: 'too_large' } });
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 0, fileCount: 0 });
    await expectNothingStored(owner, 0);
  });

  test('a store out of space on the second file: 507 insufficient_storage, the first deleted', async () => {
    const owner = await fixtures.newUser();
    const store = testApp.context.blobStorage as { put: BlobStorage['put'] };
    const originalPut = store.put.bind(store);
    let calls = 0;
    store.put = async (args) => {
      if (++calls === 2)
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return originalPut(args);
    };
    try {
      const response = await uploadFiles(testApp.app, owner, {
        files: [
          { name: 'one.bin', content: randomBytes(1000) },
          { name: 'two.bin', content: randomBytes(1000) },
        ],
      });
      expect(response.statusCode).toBe(507);
      expect(response.json()).toMatchObject({ error: { code: 'insufficient_storage' } });
    } finally {
      store.put = originalPut;
    }
    expect(calls).toBe(2);
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 0, fileCount: 0 });
    await expectNothingStored(owner, 0);
  });

  test('the commit fails (the folder trashed while the last file streamed): 404, every blob deleted', async () => {
    const owner = await fixtures.newUser();
    const folder = await createFolderVia(testApp.app, owner, { name: 'going' });
    const store = testApp.context.blobStorage as { put: BlobStorage['put'] };
    const originalPut = store.put.bind(store);
    let calls = 0;
    store.put = async (args) => {
      if (++calls === 3) {
        await testApp.app.inject({
          method: 'DELETE',
          url: `/api/folders/${folder.id}`,
          headers: owner.headers,
        });
      }
      return originalPut(args);
    };
    try {
      const response = await uploadFiles(testApp.app, owner, {
        folderId: folder.id,
        files: ['1', '2', '3'].map((n) => ({ name: `${n}.txt`, content: n })),
      });
      expect(response.statusCode).toBe(404);
    } finally {
      store.put = originalPut;
    }
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 0, fileCount: 0 });
    await expectNothingStored(owner, 0);
  });

  test('a client that disconnects during the second file leaves nothing of the first', async () => {
    const owner = await fixtures.newUser();
    const address = await listening();
    const { payload, contentType } = multipartBody([
      { name: 'whole.bin', content: randomBytes(20_000) },
      { name: 'cut.bin', content: randomBytes(60_000) },
    ]);
    const before = (await blobKeys(testApp.context.blobStorage)).length;
    const socket = net.connect(address.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/folders/root/files HTTP/1.1\r\nHost: localhost\r\nCookie: ${owner.cookieHeader}\r\n` +
        `X-CSRF-Token: ${owner.csrfToken}\r\nContent-Type: ${contentType}\r\nContent-Length: ${payload.length}\r\n\r\n`,
    );
    socket.write(payload.subarray(0, 50_000));
    // The first file is in the store before the client goes.
    await waitUntil(async () => (await blobKeys(testApp.context.blobStorage)).length > before);
    socket.destroy();
    await waitUntil(async () => (await blobKeys(testApp.context.blobStorage)).length === before);
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 0, fileCount: 0 });
    await expectNothingStored(owner, 0);
  });

  test('duplicate names in one request under rename are numbered, all in one commit', async () => {
    const owner = await fixtures.newUser();
    const response = await uploadFiles(testApp.app, owner, {
      files: [
        { name: 'same.txt', content: 'one' },
        { name: 'same.txt', content: 'two' },
      ],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ files: NodeDto[] }>().files.map((file) => file.name)).toEqual([
      'same.txt',
      'same (1).txt',
    ]);
    expect(await usageOf(owner)).toMatchObject({ usedBytes: 6, fileCount: 2 });
  });
});

describe('quota', () => {
  test('two uploads that each fit but not together: exactly one is stored', async () => {
    const owner = await fixtures.newUser({ quotaBytes: 1000 });
    const keysBefore = new Set(await blobKeys(testApp.context.blobStorage));
    // Both pass the quota check before either is written: each waits here for the other.
    const store = testApp.context.blobStorage as { put: BlobStorage['put'] };
    const originalPut = store.put.bind(store);
    let arrived = 0;
    let releaseBoth = () => {};
    const bothArrived = new Promise<void>((resolve) => (releaseBoth = resolve));
    store.put = async (args) => {
      if (++arrived === 2) releaseBoth();
      await bothArrived;
      return originalPut(args);
    };
    try {
      const responses = await Promise.all(
        ['a.bin', 'b.bin'].map((name) =>
          uploadFiles(testApp.app, owner, { files: [{ name, content: randomBytes(600) }] }),
        ),
      );
      expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 413]);
    } finally {
      store.put = originalPut;
    }
    const usage = await testApp.app.inject({
      method: 'GET',
      url: '/api/usage',
      headers: owner.headers,
    });
    expect(usage.json()).toMatchObject({ usedBytes: 600, fileCount: 1 });
    await runQueuedJobs(testApp.context);
    const keys = await blobKeys(testApp.context.blobStorage);
    expect(keys.filter((key) => !keysBefore.has(key))).toHaveLength(1);
  });

  test('a replace keeps the old content as a version, so the new one must fit whole', async () => {
    const owner = await fixtures.newUser({ quotaBytes: 1000 });
    const old = await uploadOne(testApp.app, owner, { name: 'r.bin', content: randomBytes(600) });
    const tooBig = await uploadFiles(testApp.app, owner, {
      files: [{ name: 'r.bin', content: randomBytes(450) }],
      onConflict: 'replace',
    });
    expect(tooBig.statusCode).toBe(413);
    const replaced = await uploadFiles(testApp.app, owner, {
      files: [{ name: 'r.bin', content: randomBytes(400) }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json<{ files: NodeDto[] }>().files).toMatchObject([{ id: old.id, size: 400 }]);
  });

  test('an upload past the quota is 413 quota_exceeded; usage counts trash until purged', async () => {
    const owner = await fixtures.newUser({ quotaBytes: 1000 });
    const kept = await uploadOne(testApp.app, owner, { name: 'a.bin', content: randomBytes(600) });
    const over = await uploadFiles(testApp.app, owner, {
      files: [{ name: 'b.bin', content: randomBytes(500) }],
    });
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    const usage = async () =>
      (
        await testApp.app.inject({ method: 'GET', url: '/api/usage', headers: owner.headers })
      ).json<{
        usedBytes: number;
        fileCount: number;
        trashBytes: number;
        quotaBytes: number;
      }>();
    expect(await usage()).toEqual({
      usedBytes: 600,
      quotaBytes: 1000,
      fileCount: 1,
      trashBytes: 0,
      versionBytes: 0,
    });
    await testApp.app.inject({
      method: 'DELETE',
      url: `/api/files/${kept.id}`,
      headers: owner.headers,
    });
    expect(await usage()).toMatchObject({ usedBytes: 600, trashBytes: 600 });
    expect(
      (
        await uploadFiles(testApp.app, owner, {
          files: [{ name: 'b.bin', content: randomBytes(500) }],
        })
      ).statusCode,
    ).toBe(413);
    await testApp.app.inject({
      method: 'DELETE',
      url: `/api/trash/${kept.id}`,
      headers: owner.headers,
    });
    expect(await usage()).toEqual({
      usedBytes: 0,
      quotaBytes: 1000,
      fileCount: 0,
      trashBytes: 0,
      versionBytes: 0,
    });
    expect(
      (
        await uploadFiles(testApp.app, owner, {
          files: [{ name: 'b.bin', content: randomBytes(500) }],
        })
      ).statusCode,
    ).toBe(201);
  });
});
