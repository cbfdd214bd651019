import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { signUp, type TestUser } from '../nodes/nodes.test-utils.js';
import { createExpireTusUploadsHandler } from './uploads.jobs.js';
import { createTusDataStore } from './uploads.tus.js';

let testApp: TestApp;
let user: TestUser;
beforeAll(async () => {
  testApp = await createTestApp();
  user = await signUp(testApp.app);
});
afterAll(() => testApp.close());

const tusHeaders = () => ({ ...user.headers, 'tus-resumable': '1.0.0' });

describe('stale resumable uploads', () => {
  test('expire: their staged bytes and their records are removed', async () => {
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...tusHeaders(),
        'upload-length': '100',
        'upload-metadata': `filename ${Buffer.from('stale.bin').toString('base64')}`,
      },
    });
    expect(created.statusCode).toBe(201);
    const path = new URL(String(created.headers.location), 'http://x').pathname;
    const patched = await testApp.app.inject({
      method: 'PATCH',
      url: path,
      headers: {
        ...tusHeaders(),
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: randomBytes(40),
    });
    expect(patched.statusCode).toBe(204);
    await sleep(20);

    const db = testApp.context.database.db;
    const handler = createExpireTusUploadsHandler({
      db,
      datastore: await createTusDataStore(testApp.context.config, { expirationMs: 1 }),
      expirationMs: 1,
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
    expect(result).toMatchObject({ recordsDeleted: 1 });
    expect(await db.selectFrom('tus_uploads').selectAll().execute()).toEqual([]);
    // The quota it held is free again.
    expect(
      await db
        .selectFrom('storage_usage')
        .select(['reserved_bytes', 'reserved_uploads'])
        .where('user_id', '=', user.userId)
        .executeTakeFirst(),
    ).toEqual({ reserved_bytes: 0, reserved_uploads: 0 });
    const head = await testApp.app.inject({ method: 'HEAD', url: path, headers: tusHeaders() });
    expect(head.statusCode).toBe(404);
  });
});
