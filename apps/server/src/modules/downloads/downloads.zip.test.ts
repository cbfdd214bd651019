import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NodeDto } from '@myfile/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createFolderVia, signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';
import type { Readable } from 'node:stream';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import { userActor } from '../access/access.models.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { openFolderZip, SKIPPED_NOTE } from './downloads.zip.js';

let testApp: TestApp;
let owner: TestUser;
let viewer: TestUser;
let stranger: TestUser;
let folder: NodeDto;
let tmp: string;

const download = async (user: TestUser, id: string) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/folders/${id}/zip`,
    headers: user.headers,
  });
  const file = path.join(tmp, `${Math.random().toString(36).slice(2)}.zip`);
  await fs.writeFile(file, response.rawPayload);
  return { response, file };
};

const listing = (file: string) =>
  execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
const entry = (file: string, name: string) =>
  execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-zip-'));
  testApp = await createTestApp();
  owner = await signUp(testApp.app);
  viewer = await signUp(testApp.app);
  stranger = await signUp(testApp.app);
  folder = await createFolderVia(testApp.app, owner, { name: 'Projekt é' });
  const sub = await createFolderVia(testApp.app, owner, { name: '日本', parentId: folder.id });
  await createFolderVia(testApp.app, owner, { name: 'empty', parentId: folder.id });
  await uploadOne(testApp.app, owner, { name: 'a.txt', content: 'alpha', folderId: folder.id });
  await uploadOne(testApp.app, owner, { name: 'b ü.txt', content: 'beta', folderId: sub.id });
  const cold = await uploadOne(testApp.app, owner, {
    name: 'cold.bin',
    content: 'cold',
    folderId: sub.id,
  });
  await sql`update nodes set storage_state = 'archived' where id = ${cold.id}`.execute(
    testApp.context.database.db,
  );
  await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${folder.id}/shares`,
    headers: owner.headers,
    payload: { email: viewer.email, role: 'viewer' },
  });
});
afterAll(async () => {
  await testApp.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('folder download as a zip', () => {
  test('the whole tree with UTF-8 names and empty folders; cold files listed in a note', async () => {
    const { response, file } = await download(owner, folder.id);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(String(response.headers['content-disposition'])).toContain(
      "filename*=UTF-8''Projekt%20%C3%A9.zip",
    );
    expect(listing(file)).toEqual(
      [
        'Projekt é/a.txt',
        'Projekt é/empty/',
        'Projekt é/日本/b ü.txt',
        `Projekt é/${SKIPPED_NOTE}`,
      ].sort(),
    );
    expect(entry(file, 'Projekt é/a.txt')).toBe('alpha');
    expect(entry(file, 'Projekt é/日本/b ü.txt')).toBe('beta');
    expect(entry(file, `Projekt é/${SKIPPED_NOTE}`)).toContain('Projekt é/日本/cold.bin');
  });

  test('a sharee downloads the same; anybody else gets 404', async () => {
    const shared = await download(viewer, folder.id);
    expect(shared.response.statusCode).toBe(200);
    expect(listing(shared.file)).toContain('Projekt é/a.txt');
    const foreign = await download(stranger, folder.id);
    expect(foreign.response.statusCode).toBe(404);
    expect(foreign.response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test('a download stopped half-way closes the files it had opened ahead', async () => {
    const some = await createFolderVia(testApp.app, owner, { name: 'some' });
    for (let index = 0; index < 6; index++) {
      const content = Buffer.alloc(300 * 1024, index);
      await uploadOne(testApp.app, owner, { name: `f${index}.bin`, content, folderId: some.id });
    }
    const deps = toFilesDeps(testApp.context);
    // The real store, watched: which bodies it handed out.
    const bodies: Readable[] = [];
    const blobStorage: BlobStorage = {
      ...deps.blobStorage,
      get: async (request) => {
        const got = await deps.blobStorage.get(request);
        bodies.push(got.body);
        return got;
      },
    };
    const abort = new AbortController();
    const { stream } = await openFolderZip({
      ...deps,
      blobStorage,
      actor: userActor(owner.userId),
      id: some.id,
      signal: abort.signal,
    });
    await new Promise((resolve) => stream.once('readable', resolve));
    await expect.poll(() => bodies.length).toBeGreaterThanOrEqual(2);
    abort.abort();
    stream.destroy();
    await expect.poll(() => bodies.every((body) => body.destroyed)).toBe(true);
    expect(bodies.length).toBeLessThan(6);
  });

  test('a file whose bytes cannot be read mid-way ends the archive with an error, and closes the rest', async () => {
    const some = await createFolderVia(testApp.app, owner, { name: 'broken' });
    const files: NodeDto[] = [];
    for (let index = 0; index < 5; index++) {
      const content = Buffer.alloc(200 * 1024, index);
      files.push(
        await uploadOne(testApp.app, owner, { name: `f${index}.bin`, content, folderId: some.id }),
      );
    }
    const deps = toFilesDeps(testApp.context);
    const { blob_key: missingKey } = await testApp.context.database.db
      .selectFrom('nodes')
      .select('blob_key')
      .where('id', '=', files[2]?.id ?? '')
      .executeTakeFirstOrThrow();
    const bodies: Readable[] = [];
    const blobStorage: BlobStorage = {
      ...deps.blobStorage,
      get: async (request) => {
        if (request.key === missingKey) throw new Error('The store lost this blob.');
        const got = await deps.blobStorage.get(request);
        bodies.push(got.body);
        return got;
      },
    };
    const { stream } = await openFolderZip({
      ...deps,
      blobStorage,
      actor: userActor(owner.userId),
      id: some.id,
      signal: new AbortController().signal,
    });
    const consumed = stream.toArray();
    await expect(consumed).rejects.toThrow('The store lost this blob.');
    await expect.poll(() => bodies.every((body) => body.destroyed)).toBe(true);
  });

  test('10,000 files in one folder', async () => {
    const big = await createFolderVia(testApp.app, owner, { name: 'big' });
    // Empty files: the walk, the paging and the archive's queue are what is under test here.
    await sql`
      insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key, size,
                         content_type, blob_key, created_at, updated_at)
      select gen_random_uuid(), ${owner.userId}, ${big.id}, false, 'f' || i, 'f' || i,
             'f' || lpad(i::text, 6, '0'), 0, 'text/plain', 'zip-test/' || i, now(), now()
      from generate_series(1, 10000) as i
    `.execute(testApp.context.database.db);
    const { response, file } = await download(owner, big.id);
    expect(response.statusCode).toBe(200);
    expect(listing(file)).toHaveLength(10_000);
  }, 120_000);
});
