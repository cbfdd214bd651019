import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { OPTIONAL_PACKAGES, usePackagesLoaded } from '../test-support/packages-loaded.js';

const packages = usePackagesLoaded();

describe('optional drivers', () => {
  test('the embedded configuration loads none of them; S3 storage loads its driver', async () => {
    const dataDir = path.join(packages.workDir, 'data');
    await fs.mkdir(dataDir);

    const embedded = await packages.loadedBy(dataDir, {});
    expect(embedded('@electric-sql/pglite')).toBe(true);
    expect(OPTIONAL_PACKAGES.filter(embedded)).toEqual([]);

    // No S3 server needs to answer: the store is built at start, and used only by requests.
    const onS3 = await packages.loadedBy(dataDir, {
      STORAGE_URL: 's3://never-called?region=us-east-1&endpoint=http://127.0.0.1:9',
    });
    expect(onS3('@aws-sdk/lib-storage')).toBe(true);
    expect(['ioredis', 'nodemailer', 'sharp'].filter(onS3)).toEqual([]);
  }, 300_000);
});
