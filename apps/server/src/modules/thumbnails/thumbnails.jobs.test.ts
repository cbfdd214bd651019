import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DomainEvent } from '@myfile/contract';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { JobContext } from '../../job-queue/jobs.types.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { sweepOrphanBlobs } from '../files/files.jobs.js';
import { thumbnailSettingsOf } from '../nodes/nodes.usecases.js';
import { uploadFiles, uploadOne } from '../nodes/nodes.test-utils.js';
import { createRenderThumbnailHandler } from './thumbnails.jobs.js';
import { thumbnailKeyOf } from './thumbnails.models.js';
import { fileRow, minimalPdf, solidImage } from './thumbnails.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp({
    env: { THUMBNAIL_MAX_PIXELS: '4000000', THUMBNAIL_MAX_SOURCE_BYTES: '100000' },
  });
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

const storedThumbnail = async (blobKey: string | null) => {
  const store = testApp.context.blobStorage;
  const key = thumbnailKeyOf(blobKey ?? '');
  if (!(await store.exists({ key }))) return null;
  const { body } = await store.get({ key });
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return sharp(Buffer.concat(chunks)).metadata();
};

const jobContext = (): JobContext => ({
  jobId: 'test',
  attempt: 1,
  signal: new AbortController().signal,
  reportProgress: async () => undefined,
});

const queuedThumbnailJobs = async () =>
  testApp.context.database.db
    .selectFrom('jobs')
    .select('payload')
    .where('name', '=', 'thumbnails.render')
    .where('status', '=', 'queued')
    .execute();

describe('thumbnails.render', () => {
  test.each([
    ['photo.jpg', () => solidImage(1600, 1200).jpeg().toBuffer()],
    ['shot.png', () => solidImage(1600, 1200).png().toBuffer()],
    ['pic.webp', () => solidImage(1600, 1200).webp().toBuffer()],
    ['anim.gif', () => solidImage(1600, 1200).gif().toBuffer()],
  ])(
    '%s: rendered as a 256 px WebP under thumbnails/<blob key>, then ready',
    async (name, make) => {
      const file = await uploadOne(testApp.app, user, { name, content: await make() });
      expect(file.thumbnailUrl).toBeNull();
      expect((await fileRow(testApp, file.id)).thumbnail_state).toBe('pending');
      await runQueuedJobs(testApp.context);
      const row = await fileRow(testApp, file.id);
      expect(row.thumbnail_state).toBe('ready');
      expect(await storedThumbnail(row.blob_key)).toMatchObject({
        format: 'webp',
        width: 256,
        height: 192,
      });
    },
  );

  test('a PDF: its first page, as a WebP thumbnail', async () => {
    const file = await uploadOne(testApp.app, user, { name: 'doc.pdf', content: minimalPdf() });
    expect(file.contentType).toBe('application/pdf');
    await runQueuedJobs(testApp.context);
    const row = await fileRow(testApp, file.id);
    expect(row.thumbnail_state).toBe('ready');
    expect(await storedThumbnail(row.blob_key)).toMatchObject({
      format: 'webp',
      width: 256,
      height: 128,
    });
  });

  test('types it cannot render, and sources over the size limit, get no job and no state', async () => {
    const noise = await sharp(randomBytes(200 * 200 * 3), {
      raw: { width: 200, height: 200, channels: 3 },
    })
      .png()
      .toBuffer();
    expect(noise.length).toBeGreaterThan(100_000);
    const before = (await queuedThumbnailJobs()).length;
    const files = [
      await uploadOne(testApp.app, user, { name: 'big.png', content: noise }),
      await uploadOne(testApp.app, user, { name: 'notes.txt', content: 'plain words' }),
      await uploadOne(testApp.app, user, {
        name: 'vector.svg',
        content: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
      }),
    ];
    expect(await queuedThumbnailJobs()).toHaveLength(before);
    for (const file of files) expect((await fileRow(testApp, file.id)).thumbnail_state).toBeNull();
  });

  test('a pixel flood is refused: state failed, nothing stored, one attempt only', async () => {
    const bomb = await solidImage(2100, 2100).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(100_000);
    const file = await uploadOne(testApp.app, user, { name: 'bomb.png', content: bomb });
    await runQueuedJobs(testApp.context);
    const row = await fileRow(testApp, file.id);
    expect(row.thumbnail_state).toBe('failed');
    expect(await storedThumbnail(row.blob_key)).toBeNull();
    const job = await testApp.context.database.db
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('name', '=', 'thumbnails.render')
      .where(sql<string>`payload->>'fileId'`, '=', file.id)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    expect(job.last_error).toMatch(/more than 4000000 pixels/);
  });

  test('undecodable bytes that sniff as an image are refused the same way', async () => {
    const jpeg = await solidImage(800, 600).jpeg().toBuffer();
    const file = await uploadOne(testApp.app, user, {
      name: 'cut.jpg',
      content: jpeg.subarray(0, 200),
    });
    await runQueuedJobs(testApp.context);
    expect((await fileRow(testApp, file.id)).thumbnail_state).toBe('failed');
  });

  test('a job for replaced content does nothing; the new content gets its own', async () => {
    const file = await uploadOne(testApp.app, user, {
      name: 'swap.png',
      content: await solidImage(400, 400).png().toBuffer(),
    });
    const oldKey = (await fileRow(testApp, file.id)).blob_key ?? '';
    const replaced = await uploadFiles(testApp.app, user, {
      files: [{ name: 'swap.png', content: await solidImage(400, 200).png().toBuffer() }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode).toBe(201);
    await runQueuedJobs(testApp.context);
    const row = await fileRow(testApp, file.id);
    expect(row.blob_key).not.toBe(oldKey);
    expect(row.thumbnail_state).toBe('ready');
    expect(await storedThumbnail(row.blob_key)).toMatchObject({ width: 256, height: 128 });
    expect(await storedThumbnail(oldKey)).toBeNull();
  });

  test('content replaced while rendering: the old thumbnail never marks the new content ready', async () => {
    const file = await uploadOne(testApp.app, user, {
      name: 'race.png',
      content: await solidImage(300, 300).png().toBuffer(),
    });
    const oldKey = (await fileRow(testApp, file.id)).blob_key ?? '';
    const store = testApp.context.blobStorage;
    // The replace commits after the job read the old bytes and before it stores its result.
    const racing: BlobStorage = {
      ...store,
      get: async (args) => {
        const blob = await store.get(args);
        const response = await uploadFiles(testApp.app, user, {
          files: [{ name: 'race.png', content: await solidImage(300, 100).png().toBuffer() }],
          onConflict: 'replace',
        });
        expect(response.statusCode).toBe(201);
        return blob;
      },
    };
    const handler = createRenderThumbnailHandler({
      db: testApp.context.database.db,
      blobStorage: racing,
      events: testApp.context.events,
      settings: thumbnailSettingsOf(testApp.context),
    });
    expect(await handler.run({ fileId: file.id, blobKey: oldKey }, jobContext())).toEqual({
      skipped: 'content changed',
    });
    const row = await fileRow(testApp, file.id);
    expect(row.thumbnail_state).toBe('pending');
    expect(await storedThumbnail(oldKey)).toBeNull();
    await runQueuedJobs(testApp.context);
    expect(await storedThumbnail(row.blob_key)).toMatchObject({ width: 256, height: 85 });
  });

  test('a copy gets its own thumbnail under its own blob', async () => {
    const file = await uploadOne(testApp.app, user, {
      name: 'orig.png',
      content: await solidImage(500, 500).png().toBuffer(),
    });
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/api/files/${file.id}/copy`,
      headers: user.headers,
      payload: {},
    });
    expect(response.statusCode).toBe(201);
    const copyId = response.json<{ id: string }>().id;
    await runQueuedJobs(testApp.context);
    const copy = await fileRow(testApp, copyId);
    expect(copy.thumbnail_state).toBe('ready');
    expect(await storedThumbnail(copy.blob_key)).toMatchObject({ format: 'webp' });
  });

  test('a tus upload enqueues its render on completion', async () => {
    const png = await solidImage(640, 480).png().toBuffer();
    const metadata = [
      ['filename', 'tus.png'],
      ['folderId', 'root'],
    ]
      .map(([key, value]) => `${key} ${Buffer.from(value ?? '').toString('base64')}`)
      .join(',');
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-length': String(png.length),
        'upload-metadata': metadata,
      },
    });
    expect(created.statusCode).toBe(201);
    const finished = await testApp.app.inject({
      method: 'PATCH',
      url: String(created.headers.location),
      headers: {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: png,
    });
    expect(finished.statusCode).toBe(204);
    const fileId = String(finished.headers['x-file-id']);
    expect((await fileRow(testApp, fileId)).thumbnail_state).toBe('pending');
    await runQueuedJobs(testApp.context);
    expect((await fileRow(testApp, fileId)).thumbnail_state).toBe('ready');
  });

  test('upload → job → one file.updated event once the thumbnail is ready', async () => {
    const seen: DomainEvent[] = [];
    const unsubscribe = testApp.context.events.subscribe((event) => {
      seen.push(event);
    });
    try {
      const file = await uploadOne(testApp.app, user, {
        name: 'evented.jpg',
        content: await solidImage(200, 200).jpeg().toBuffer(),
      });
      expect(seen.map((event) => event.type)).toEqual(['file.created']);
      await runQueuedJobs(testApp.context);
      expect(seen.map((event) => event.type)).toEqual(['file.created', 'file.updated']);
      expect(seen[1]).toMatchObject({ userId: user.userId, file: { id: file.id } });
    } finally {
      unsubscribe();
    }
  });

  test('purging a file deletes its thumbnail; the sweep keeps live ones and drops orphans', async () => {
    const store = testApp.context.blobStorage;
    const db = testApp.context.database.db;
    const kept = await uploadOne(testApp.app, user, {
      name: 'kept.png',
      content: await solidImage(100, 100).png().toBuffer(),
    });
    const doomed = await uploadOne(testApp.app, user, {
      name: 'doomed.png',
      content: await solidImage(100, 100).png().toBuffer(),
    });
    await runQueuedJobs(testApp.context);
    const keptKey = (await fileRow(testApp, kept.id)).blob_key ?? '';
    const doomedKey = (await fileRow(testApp, doomed.id)).blob_key ?? '';
    expect(await store.exists({ key: thumbnailKeyOf(doomedKey) })).toBe(true);

    const inject = (method: 'DELETE', url: string) =>
      testApp.app.inject({ method, url, headers: user.headers });
    expect((await inject('DELETE', `/api/files/${doomed.id}`)).statusCode).toBe(204);
    expect((await inject('DELETE', `/api/trash/${doomed.id}`)).statusCode).toBe(204);
    await runQueuedJobs(testApp.context);
    expect(await store.exists({ key: doomedKey })).toBe(false);
    expect(await store.exists({ key: thumbnailKeyOf(doomedKey) })).toBe(false);

    const orphan = thumbnailKeyOf(doomedKey);
    await store.put({
      key: orphan,
      body: Readable.from([await solidImage(8, 8).webp().toBuffer()]),
    });
    const later = new Date(Date.now() + 2 * 3_600_000);
    const { deleted } = await sweepOrphanBlobs({ db, blobStorage: store, now: later });
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.exists({ key: orphan })).toBe(false);
    expect(await store.exists({ key: thumbnailKeyOf(keptKey) })).toBe(true);
    expect(await store.exists({ key: keptKey })).toBe(true);
  });
});
