import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createAppContext, type AppContext } from '../app/app-context.js';
import { createServer, type App } from '../app/server.js';
import type { ArchiveStorage } from '../archive-storage/archive-storage.types.js';
import { createBlobStorage } from '../blob-storage/blob-storage.factory.js';
import type { BlobStorage } from '../blob-storage/blob-storage.types.js';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import { parseConfig } from '../config/config.js';
import type { DatabaseHandle } from '../db/database.js';
import { inject } from 'vitest';
import { watchResponsesAgainstDocument } from './response-conformance.js';
import { createTestBucket, fromSharedS3Server, storageUrlOf } from './s3-server.js';
import { createTestDatabase } from './test-database.js';
import { testRedisUrl, usesRealServices } from './test-services.js';

export type TestApp = { app: App; context: AppContext; dataDir: string; close(): Promise<void> };

/**
 * The real server on this test file's own database and a blob store in a temp dir.
 * Pass `database` or `blobStorage` to swap in a broken one for an unhappy path.
 */
export const createTestApp = async ({
  env = {},
  database,
  blobStorage,
  archiveStorage,
  webDir,
  logger,
}: {
  env?: Record<string, string>;
  database?: DatabaseHandle;
  blobStorage?: BlobStorage;
  /** The cold tier; by default gzip files under the app's temp data dir. */
  archiveStorage?: ArchiveStorage;
  /** A built web app to serve; none by default, so API tests never depend on a web build. */
  webDir?: string;
  /** Where the app logs; by default nowhere (`TEST_LOG_LEVEL` to see it). */
  logger?: Logger;
} = {}): Promise<TestApp> => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-app-'));
  // On real services every app shares Redis (session cache, rate limits) under its own prefix.
  const redisEnv: Record<string, string> = usesRealServices()
    ? {
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: `myfile-test:${path.basename(dataDir)}:`,
      }
    : {};
  // On real services the blob store (and the tus staging store) is a fresh S3 bucket.
  const shared =
    usesRealServices() && !blobStorage && !env.STORAGE_URL ? inject('s3TestServer') : null;
  const bucket = shared ? await createTestBucket(fromSharedS3Server(shared)) : undefined;
  const storageEnv: Record<string, string> = bucket
    ? { STORAGE_URL: storageUrlOf(bucket.config) }
    : {};
  const config = parseConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...redisEnv,
    ...storageEnv,
    ...env,
  });
  const context = await createAppContext(config, {
    logger: logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    database: database ?? (await createTestDatabase()),
    blobStorage:
      blobStorage ??
      (bucket
        ? await createBlobStorage(bucket.config)
        : await createBlobStorage(parseStorageUrl(`file://${path.join(dataDir, 'blobs')}`))),
    ...(archiveStorage ? { archiveStorage } : {}),
  });
  const app = await createServer(context, { webDir });
  // Every answer a test provokes is checked against the OpenAPI document (see the module).
  const conformance = watchResponsesAgainstDocument(app);
  return {
    app,
    context,
    dataDir,
    close: async () => {
      await app.close();
      if (context.redis && redisEnv.REDIS_KEY_PREFIX) {
        await deleteRedisKeys(context, redisEnv.REDIS_KEY_PREFIX);
      }
      await context.close();
      await bucket?.cleanup();
      await fs.rm(dataDir, { recursive: true, force: true });
      conformance.assertConforms();
    },
  };
};

const deleteRedisKeys = async (context: AppContext, prefix: string) => {
  const redis = context.redis;
  if (!redis) return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
};
