import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { OPTIONAL_PACKAGES, usePackagesLoaded } from '../test-support/packages-loaded.js';
import { createTestDatabase } from '../test-support/test-database.js';
import { testPostgresUrl, withDatabaseName } from '../test-support/test-services.js';

const packages = usePackagesLoaded();

describe('optional drivers on PostgreSQL', () => {
  // Each PGlite module holds a WebAssembly PostgreSQL; a server on PostgreSQL has no use for it.
  test('PostgreSQL mode loads no PGlite module, and no optional driver', async () => {
    const dataDir = path.join(packages.workDir, 'data-postgres');
    await fs.mkdir(dataDir);
    const database = await createTestDatabase();
    try {
      const loaded = await packages.loadedBy(dataDir, {
        DATABASE_URL: withDatabaseName(testPostgresUrl(), database.name),
      });
      expect(loaded('pg')).toBe(true);
      expect(loaded('@electric-sql/pglite')).toBe(false);
      expect(OPTIONAL_PACKAGES.filter(loaded)).toEqual([]);
    } finally {
      await database.close();
    }
  }, 300_000);
});
