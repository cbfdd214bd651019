import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { usesRealServices } from '../../test-support/test-services.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { listAll, uploadFiles } from '../nodes/nodes.test-utils.js';
import { reserveUploadWithinQuota } from '../usage/usage.repository.js';

const MAX_UNFINISHED = 4;
const KB = 1024;
let testApp: TestApp;
let fixtures: Fixtures;
let endpoint: string;
beforeAll(async () => {
  testApp = await createTestApp({
    env: {
      MAX_UPLOAD_BYTES: String(8 * 1024 * KB),
      MAX_UNFINISHED_UPLOADS: String(MAX_UNFINISHED),
    },
  });
  fixtures = fixturesOf(testApp.context);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}/api/uploads`;
});
afterAll(() => testApp.close());

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const meta = (name: string) => `filename ${Buffer.from(name).toString('base64')}`;
const tusHeaders = (user: FixtureUser) => ({ ...user.headers, 'tus-resumable': '1.0.0' });

const create = (user: FixtureUser, name: string, length: number) =>
  testApp.app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: {
      ...tusHeaders(user),
      'upload-length': String(length),
      'upload-metadata': meta(name),
    },
  });

const pathOf = (location: unknown) => new URL(String(location), 'http://x').pathname;

const usageRow = (userId: string) =>
  testApp.context.database.db
    .selectFrom('storage_usage')
    .select(['used_bytes', 'reserved_bytes', 'reserved_uploads'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();

/** What tus staged for an upload and still holds: files under DATA_DIR/uploads, or S3 keys. */
const stagedEntriesOf = async (uploadUrl: string | null) => {
  const id = String(uploadUrl).split('/').pop() ?? '';
  const names: string[] = [];
  if (usesRealServices()) {
    for await (const blob of testApp.context.blobStorage.list({})) names.push(blob.key);
  } else {
    names.push(...(await fs.readdir(path.join(testApp.dataDir, 'uploads'))));
  }
  return names.filter((name) => name.startsWith(id));
};

/** Sends `data` with tus-js-client and resolves with the file id the server answered. */
const uploadWithClient = (
  user: FixtureUser,
  data: Buffer,
  metadata: Record<string, string>,
  options: tus.UploadOptions = {},
) =>
  new Promise<{ fileId: string; statuses: number[]; url: string | null }>((resolve, reject) => {
    let fileId = '';
    const statuses: number[] = [];
    const upload = new tus.Upload(data, {
      endpoint,
      headers: user.headers,
      metadata,
      retryDelays: [],
      onAfterResponse: (_request, response) => {
        statuses.push(response.getStatus());
        fileId = response.getHeader('x-file-id') || fileId;
      },
      onSuccess: () => resolve({ fileId, statuses, url: upload.url }),
      onError: reject,
      ...options,
    });
    upload.start();
  });

describe('tus staging counts against the quota', () => {
  test('unfinished uploads reserve their declared length until they complete, are cancelled or expire; a full quota refuses more', async () => {
    const user = await fixtures.newUser({ quotaBytes: 1000 * KB });
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await create(user, `part-${i}.bin`, 300 * KB);
      expect(response.statusCode).toBe(201);
      created.push(pathOf(response.headers.location));
    }
    expect(await usageRow(user.userId)).toEqual({
      used_bytes: 0,
      reserved_bytes: 900 * KB,
      reserved_uploads: 3,
    });
    // 900 KB of 1000 KB are spoken for: neither a fourth upload nor a form upload fits.
    const fourth = await create(user, 'part-3.bin', 300 * KB);
    expect(fourth.statusCode).toBe(413);
    expect(fourth.headers['content-type']).toMatch(/^application\/json/);
    expect(fourth.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    const form = await uploadFiles(testApp.app, user, {
      files: [{ name: 'form.bin', content: randomBytes(200 * KB) }],
    });
    expect(form.statusCode).toBe(413);

    // Cancelling one gives its reservation back.
    const cancelled = await testApp.app.inject({
      method: 'DELETE',
      url: created[0],
      headers: tusHeaders(user),
    });
    expect(cancelled.statusCode).toBe(204);
    expect(await usageRow(user.userId)).toMatchObject({
      reserved_bytes: 600 * KB,
      reserved_uploads: 2,
    });

    // Completing one turns its reservation into usage.
    const data = randomBytes(300 * KB);
    const finished = await testApp.app.inject({
      method: 'PATCH',
      url: created[1],
      headers: {
        ...tusHeaders(user),
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: data,
    });
    expect(finished.statusCode).toBe(204);
    expect(await usageRow(user.userId)).toEqual({
      used_bytes: 300 * KB,
      reserved_bytes: 300 * KB,
      reserved_uploads: 1,
    });
  });

  test(`at most MAX_UNFINISHED_UPLOADS (${MAX_UNFINISHED}) uploads are unfinished at once`, async () => {
    const user = await fixtures.newUser();
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_UNFINISHED; i++) {
      statuses.push((await create(user, `n-${i}.bin`, 10)).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(MAX_UNFINISHED).fill(201), 429]);
  });

  test('parallel creations cannot overshoot the quota together', async () => {
    const user = await fixtures.newUser({ quotaBytes: 1000 * KB });
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, i) => create(user, `race-${i}.bin`, 400 * KB)),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 201, 413, 413]);
    expect(await usageRow(user.userId)).toMatchObject({ reserved_bytes: 800 * KB });
  });

  test('a reservation is checked and taken in one statement: four parallel 400 KB holds on 1000 KB, two taken', async () => {
    const user = await fixtures.newUser({ quotaBytes: 1000 * KB });
    const db = testApp.context.database.db;
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () =>
        reserveUploadWithinQuota(db, {
          userId: user.userId,
          bytes: 400 * KB,
          creditBytes: 0,
          maxUploads: 10,
        }),
      ),
    );
    expect(outcomes.sort()).toEqual(['quota_exceeded', 'quota_exceeded', 'reserved', 'reserved']);
    expect(await usageRow(user.userId)).toMatchObject({ reserved_bytes: 800 * KB });
  });

  // The old content stays as a version, so the new one must fit beside it.
  test('a replace needs its whole length to fit beside the version it keeps', async () => {
    const user = await fixtures.newUser({ quotaBytes: 2000 * KB });
    await fixtures.newFile(user, { name: 'big.bin', content: randomBytes(900 * KB) });
    const refused = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...tusHeaders(user),
        'upload-length': String(1101 * KB),
        'upload-metadata': `${meta('big.bin')},onConflict ${Buffer.from('replace').toString('base64')}`,
      },
    });
    expect(refused.statusCode).toBe(413);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...tusHeaders(user),
        'upload-length': String(950 * KB),
        'upload-metadata': `${meta('big.bin')},onConflict ${Buffer.from('replace').toString('base64')}`,
      },
    });
    expect(response.statusCode).toBe(201);
    const data = randomBytes(950 * KB);
    const finished = await testApp.app.inject({
      method: 'PATCH',
      url: pathOf(response.headers.location),
      headers: {
        ...tusHeaders(user),
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: data,
    });
    expect(finished.statusCode).toBe(204);
    expect(await usageRow(user.userId)).toEqual({
      used_bytes: (900 + 950) * KB,
      reserved_bytes: 0,
      reserved_uploads: 0,
    });
  });
});

describe('tus protocol, as tus-js-client speaks it', () => {
  test('creation-with-upload: the whole file in the creation POST is a file, answered 201 with its Location, nothing staged', async () => {
    const user = await fixtures.newUser();
    const data = randomBytes(200 * KB);
    const { fileId, statuses, url } = await uploadWithClient(
      user,
      data,
      { filename: 'at-once.bin' },
      { uploadDataDuringCreation: true, chunkSize: 1024 * KB },
    );
    expect(statuses).toEqual([201]);
    expect(url).toMatch(/\/api\/uploads\/[^/]+$/);
    const file = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}`,
      headers: user.headers,
    });
    expect(file.json<NodeDto>()).toMatchObject({
      name: 'at-once.bin',
      size: data.length,
      sha256: sha256(data),
    });
    expect(await listAll(testApp.app, user)).toHaveLength(1);
    expect(await stagedEntriesOf(url)).toEqual([]);
    expect(await usageRow(user.userId)).toEqual({
      used_bytes: data.length,
      reserved_bytes: 0,
      reserved_uploads: 0,
    });
  });

  test('an empty file is created by its creation request alone', async () => {
    const user = await fixtures.newUser();
    const { fileId, statuses, url } = await uploadWithClient(user, Buffer.alloc(0), {
      filename: 'empty.txt',
    });
    expect(statuses).toEqual([201]);
    expect(fileId).not.toBe('');
    expect(await listAll(testApp.app, user)).toMatchObject([{ name: 'empty.txt', size: 0 }]);
    expect(await stagedEntriesOf(url)).toEqual([]);
  });

  test('X-HTTP-Method-Override: PATCH sent as POST (overridePatchMethod) uploads in chunks', async () => {
    const user = await fixtures.newUser();
    const data = randomBytes(700 * KB);
    const { fileId, statuses, url } = await uploadWithClient(
      user,
      data,
      { filename: 'overridden.bin' },
      { overridePatchMethod: true, chunkSize: 256 * KB },
    );
    expect(statuses).toEqual([201, 204, 204, 204]);
    const file = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}`,
      headers: user.headers,
    });
    expect(file.json<NodeDto>()).toMatchObject({ size: data.length, sha256: sha256(data) });
    expect(await stagedEntriesOf(url)).toEqual([]);
  });

  test('OPTIONS advertises the version, extensions and maximum size without signing in', async () => {
    const response = await testApp.app.inject({ method: 'OPTIONS', url: '/api/uploads' });
    expect(response.statusCode).toBe(204);
    expect(response.headers['tus-version']).toBe('1.0.0');
    expect(String(response.headers['tus-extension']).split(',')).toEqual(
      expect.arrayContaining(['creation', 'creation-with-upload', 'termination', 'expiration']),
    );
    expect(response.headers['tus-max-size']).toBe(String(8 * 1024 * KB));
    expect(String(response.headers['tus-extension']).split(',')).toContain('checksum');
    expect(response.headers['tus-checksum-algorithm']).toBe('sha1,sha256');
  });

  test("tus's own refusals answer in the API's JSON error shape", async () => {
    const user = await fixtures.newUser();
    const created = await create(user, 'offsets.bin', 100);
    const wrongOffset = await testApp.app.inject({
      method: 'PATCH',
      url: pathOf(created.headers.location),
      headers: {
        ...tusHeaders(user),
        'upload-offset': '50',
        'content-type': 'application/offset+octet-stream',
      },
      payload: Buffer.alloc(10),
    });
    expect(wrongOffset.statusCode).toBe(409);
    expect(wrongOffset.headers['content-type']).toMatch(/^application\/json/);
    expect(wrongOffset.json()).toMatchObject({ error: { code: 'conflict' } });
    const noVersion = await testApp.app.inject({
      method: 'HEAD',
      url: pathOf(created.headers.location),
      headers: user.headers,
    });
    expect(noVersion.statusCode).toBe(412);
    expect(noVersion.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('tus checksum extension', () => {
  const digest = (algorithm: string, data: Buffer) =>
    createHash(algorithm).update(data).digest('base64');

  test('tus-js-client sending Upload-Checksum (sha256) with every chunk: the file arrives whole', async () => {
    const user = await fixtures.newUser();
    const data = randomBytes(700 * KB);
    const chunkSize = 256 * KB;
    const checksums: string[] = [];
    const { fileId, statuses } = await uploadWithClient(
      user,
      data,
      { filename: 'checked.bin' },
      {
        chunkSize,
        onBeforeRequest: (request) => {
          if (request.getMethod() !== 'PATCH') return;
          const offset = Number(request.getHeader('Upload-Offset'));
          const chunk = data.subarray(offset, offset + chunkSize);
          const header = `sha256 ${digest('sha256', chunk)}`;
          checksums.push(header);
          request.setHeader('Upload-Checksum', header);
        },
      },
    );
    expect(statuses).toEqual([201, 204, 204, 204]);
    expect(checksums).toHaveLength(3);
    const file = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}`,
      headers: user.headers,
    });
    expect(file.json<NodeDto>()).toMatchObject({ size: data.length, sha256: sha256(data) });
  });

  test('a mismatched chunk is 460 and discarded (offset unchanged); an unknown algorithm is 400; the right one is taken', async () => {
    const user = await fixtures.newUser();
    const created = await create(user, 'verified.bin', 100);
    const url = pathOf(created.headers.location);
    const chunk = randomBytes(60);
    const patch = (checksum: string, body = chunk) =>
      testApp.app.inject({
        method: 'PATCH',
        url,
        headers: {
          ...tusHeaders(user),
          'upload-offset': '0',
          'upload-checksum': checksum,
          'content-type': 'application/offset+octet-stream',
        },
        payload: body,
      });
    const offset = async () =>
      (await testApp.app.inject({ method: 'HEAD', url, headers: tusHeaders(user) })).headers[
        'upload-offset'
      ];

    const corrupted = Buffer.from(chunk);
    corrupted[10] = (corrupted[10] ?? 0) ^ 0xff;
    const mismatch = await patch(`sha256 ${digest('sha256', chunk)}`, corrupted);
    expect(mismatch.statusCode).toBe(460);
    expect(mismatch.headers['tus-resumable']).toBe('1.0.0');
    expect(mismatch.headers['content-type']).toMatch(/^application\/json/);
    expect(mismatch.json()).toMatchObject({ error: { code: 'checksum_mismatch' } });
    expect(await offset()).toBe('0');

    for (const checksum of [`md5 ${digest('md5', chunk)}`, 'sha256', 'sha256 not*base64']) {
      const refused = await patch(checksum);
      expect(refused.statusCode, checksum).toBe(400);
      expect(refused.json(), checksum).toMatchObject({
        error: { code: 'invalid_request', field: 'upload-checksum' },
      });
    }
    expect(await offset()).toBe('0');

    const accepted = await patch(`sha1 ${digest('sha1', chunk)}`);
    expect(accepted.statusCode, accepted.body).toBe(204);
    expect(accepted.headers['upload-offset']).toBe('60');
    expect(await offset()).toBe('60');
    // Nothing is left in the spool.
    expect(await fs.readdir(path.join(testApp.dataDir, 'tus-chunks'))).toEqual([]);
  });
});
