import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createAppContext } from '../../app/app-context.js';
import { createFsArchiveStorage } from '../../archive-storage/drivers/fs/fs.archive-storage.js';
import { createFsBlobStorage } from '../../blob-storage/drivers/fs/fs.blob-storage.js';
import { parseConfig } from '../../config/config.js';
import { createTestDatabase } from '../../test-support/test-database.js';
import { isStagingOwnedBy, sweepStaging } from './files.staging.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-staging-'));
});
afterEach(() => fs.rm(root, { recursive: true, force: true }));

const HOUR = 3_600_000;

/** A `.part` file in `<store>/.tmp`, last written `ageMs` ago. */
const stage = async (store: string, name: string, ageMs = 0) => {
  const file = path.join(store, '.tmp', name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, 'half a blob');
  const at = new Date(Date.now() - ageMs);
  await fs.utimes(file, at, at);
};

const staged = (store: string) => fs.readdir(path.join(store, '.tmp')).catch(() => []);

describe('the hourly staging sweep', () => {
  test('removes disk staging untouched for an hour in both tiers, keeps writes in flight', async () => {
    const hot = path.join(root, 'blobs');
    const cold = path.join(root, 'archive');
    await stage(hot, 'dead.part', HOUR + 60_000);
    await stage(hot, 'in-flight.part', 10 * 60_000);
    await stage(cold, 'dead.part', 2 * HOUR);
    await stage(cold, 'in-flight.part');
    const result = await sweepStaging({
      blobStorage: createFsBlobStorage({ root: hot }),
      archiveStorage: createFsArchiveStorage({ root: cold }),
    });
    expect(result).toEqual({ hotRemoved: 1, coldRemoved: 1 });
    expect(await staged(hot)).toEqual(['in-flight.part']);
    expect(await staged(cold)).toEqual(['in-flight.part']);
  });

  test('gives an S3 multipart upload a day and an hour, a resumable upload’s own expiry first', async () => {
    const cutoffs: (Date | undefined)[] = [];
    const bucket = {
      driverName: 's3' as const,
      sweepStaging: ({ olderThan }: { olderThan?: Date }) => {
        cutoffs.push(olderThan);
        return Promise.resolve({ removed: 0 });
      },
    };
    const now = new Date('2026-06-02T12:00:00Z');
    await sweepStaging({ blobStorage: bucket, archiveStorage: bucket, now });
    expect(cutoffs).toEqual([new Date('2026-06-01T11:00:00Z'), new Date('2026-06-01T11:00:00Z')]);
  });
});

describe('which staging a process owns', () => {
  test('a disk store inside DATA_DIR, nothing else', () => {
    expect(isStagingOwnedBy('file:///srv/data/blobs', '/srv/data')).toBe(true);
    expect(isStagingOwnedBy('file:///srv/data/deep/blobs', '/srv/data/')).toBe(true);
    expect(isStagingOwnedBy('file:///srv/shared/blobs', '/srv/data')).toBe(false);
    expect(isStagingOwnedBy('file:///srv/data-2/blobs', '/srv/data')).toBe(false);
    expect(isStagingOwnedBy('s3://bucket?region=eu-west-1', '/srv/data')).toBe(false);
  });
});

describe('staging at start, before the process serves', () => {
  const openContext = async (env: Record<string, string> = {}) =>
    createAppContext(parseConfig({ DATA_DIR: path.join(root, 'data'), ...env }), {
      logger: pino({ level: 'silent' }),
      database: await createTestDatabase(),
    });

  test('staging in DATA_DIR is all a dead process’s: every file goes, fresh or not', async () => {
    const dataDir = path.join(root, 'data');
    await stage(path.join(dataDir, 'blobs'), 'killed-mid-upload.part');
    await stage(path.join(dataDir, 'archive'), 'killed-mid-archive.part', 5 * 60_000);
    const context = await openContext();
    try {
      expect(await staged(path.join(dataDir, 'blobs'))).toEqual([]);
      expect(await staged(path.join(dataDir, 'archive'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a store outside DATA_DIR may be shared: only staging older than an hour goes', async () => {
    const shared = path.join(root, 'shared-blobs');
    await stage(shared, 'other-process-writing.part', 60_000);
    await stage(shared, 'dead.part', 3 * HOUR);
    const context = await openContext({ STORAGE_URL: `file://${shared}` });
    try {
      expect(await staged(shared)).toEqual(['other-process-writing.part']);
    } finally {
      await context.close();
    }
  });
});
