import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFsBlobStorage } from '../../blob-storage/drivers/fs/fs.blob-storage.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, signUp, type TestUser } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let user: TestUser;
let endpoint: string;
beforeAll(async () => {
  testApp = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(64 * 1024 * 1024) } });
  user = await signUp(testApp.app);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}/api/uploads`;
});
afterAll(() => testApp.close());

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const tusOptions = (
  metadata: Record<string, string>,
  extra: tus.UploadOptions = {},
): tus.UploadOptions => ({
  endpoint,
  headers: user.headers,
  metadata,
  chunkSize: 1024 * 1024,
  retryDelays: [],
  ...extra,
});

/** Uploads until `stopAt` bytes were sent, then drops the connection in the middle of a chunk. */
const uploadUntil = (data: Buffer, metadata: Record<string, string>, stopAt: number) =>
  new Promise<string>((resolve, reject) => {
    let stopped = false;
    const upload: tus.Upload = new tus.Upload(
      data,
      tusOptions(metadata, {
        onProgress: (sent) => {
          if (sent >= stopAt && !stopped) {
            stopped = true;
            void upload.abort().then(() => resolve(upload.url ?? ''));
          }
        },
        onError: reject,
      }),
    );
    upload.start();
  });

const resume = (data: Buffer, uploadUrl: string) =>
  new Promise<{ fileId: string }>((resolve, reject) => {
    let fileId = '';
    const upload = new tus.Upload(
      data,
      tusOptions(
        {},
        {
          uploadUrl,
          onAfterResponse: (_request, response) => {
            fileId = response.getHeader('x-file-id') || fileId;
          },
          onSuccess: () => resolve({ fileId }),
          onError: reject,
        },
      ),
    );
    upload.start();
  });

const head = (uploadUrl: string) =>
  testApp.app.inject({
    method: 'HEAD',
    url: new URL(uploadUrl).pathname,
    headers: { ...user.headers, 'tus-resumable': '1.0.0' },
  });

describe('tus resumable upload', () => {
  test('an upload cut half-way resumes from its offset and ends with the right SHA-256, once', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'resumable' });
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const uploadUrl = await uploadUntil(
      data,
      { filename: 'big.bin', folderId: folder.id },
      2.5 * 1024 * 1024,
    );
    const offset = Number((await head(uploadUrl)).headers['upload-offset']);
    expect(offset).toBeGreaterThanOrEqual(1024 * 1024);
    expect(offset).toBeLessThan(data.length);
    expect(await listAll(testApp.app, user, { folderId: folder.id })).toEqual([]);

    const { fileId } = await resume(data, uploadUrl);
    const file = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}`,
      headers: user.headers,
    });
    expect(file.json<NodeDto>()).toMatchObject({
      name: 'big.bin',
      size: data.length,
      sha256: sha256(data),
    });
    const content = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}/content`,
      headers: user.headers,
    });
    expect(sha256(content.rawPayload)).toBe(sha256(data));

    // A repeated final PATCH (a client retrying after a lost response) creates nothing new.
    const again = await testApp.app.inject({
      method: 'PATCH',
      url: new URL(uploadUrl).pathname,
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': String(data.length),
        'content-type': 'application/offset+octet-stream',
      },
      payload: Buffer.alloc(0),
    });
    expect(again.statusCode).toBe(204);
    expect(again.headers).toMatchObject({
      'upload-offset': String(data.length),
      'x-file-id': fileId,
    });
    expect(await listAll(testApp.app, user, { folderId: folder.id })).toHaveLength(1);
  });

  test('creation checks the name, the size limit, the quota and authentication', async () => {
    const create = (
      metadata: string,
      length: number,
      headers: Record<string, string> = user.headers,
    ) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/uploads',
        headers: {
          ...headers,
          'tus-resumable': '1.0.0',
          'upload-length': String(length),
          'upload-metadata': metadata,
        },
      });
    const meta = (name: string) => `filename ${Buffer.from(name).toString('base64')}`;
    const bad = await create(meta('../escape'), 10);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await create(meta('huge.bin'), 65 * 1024 * 1024)).statusCode).toBe(413);
    expect((await create(meta('ok.bin'), 10, {})).statusCode).toBe(401);
    const noCsrf = await create(meta('ok.bin'), 10, { cookie: user.cookieHeader });
    expect(noCsrf.statusCode).toBe(403);
    expect((await create(meta('ok.bin'), 10)).statusCode).toBe(201);
  });

  test("another user's upload URL is not found", async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const uploadUrl = await uploadUntil(data, { filename: 'mine.bin' }, 1024 * 1024);
    const intruder = await signUp(testApp.app);
    const response = await testApp.app.inject({
      method: 'HEAD',
      url: new URL(uploadUrl).pathname,
      headers: { ...intruder.headers, 'tus-resumable': '1.0.0' },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('tus completion on disk', () => {
  let diskApp: TestApp;
  let diskUser: TestUser;
  let blobRoot: string;
  beforeAll(async () => {
    blobRoot = await mkdtemp(join(tmpdir(), 'tus-blobs-'));
    // Disk whatever the run's services: this is about the disk store's path.
    diskApp = await createTestApp({ blobStorage: createFsBlobStorage({ root: blobRoot }) });
    diskUser = await signUp(diskApp.app);
    await diskApp.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await diskApp.close();
    await rm(blobRoot, { recursive: true, force: true });
  });

  test('the staged file becomes the blob: no second copy', async () => {
    const address = diskApp.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const data = randomBytes(3 * 1024 * 1024 + 5);
    let stagedInode: number | undefined;
    const fileId = await new Promise<string>((resolve, reject) => {
      let id = '';
      const upload: tus.Upload = new tus.Upload(data, {
        endpoint: `http://127.0.0.1:${address.port}/api/uploads`,
        headers: diskUser.headers,
        metadata: { filename: 'linked.bin' },
        chunkSize: 1024 * 1024,
        retryDelays: [],
        onChunkComplete: () => {
          const uploadId = upload.url?.split('/').pop() ?? '';
          stagedInode ??= statSync(join(diskApp.dataDir, 'uploads', uploadId)).ino;
        },
        onAfterResponse: (_request, response) => {
          id = response.getHeader('x-file-id') || id;
        },
        onSuccess: () => resolve(id),
        onError: reject,
      });
      upload.start();
    });
    const file = await diskApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}`,
      headers: diskUser.headers,
    });
    expect(file.json<NodeDto>()).toMatchObject({ size: data.length, sha256: sha256(data) });
    const blobs = (await readdir(blobRoot, { recursive: true, withFileTypes: true })).filter(
      (entry) => entry.isFile(),
    );
    expect(blobs).toHaveLength(1);
    const [blob] = blobs;
    if (!blob) throw new Error('no blob');
    expect(statSync(join(blob.parentPath, blob.name)).ino).toBe(stagedInode);
    // The staging directory keeps nothing of the finished upload.
    expect(
      (await readdir(join(diskApp.dataDir, 'uploads'))).filter((name) => !name.startsWith('.')),
    ).toEqual([]);
  });
});
