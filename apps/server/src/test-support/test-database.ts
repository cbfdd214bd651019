import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openPostgres, wrapPGlite, type DatabaseHandle } from '../db/database.js';
import { pgliteOptions } from '../db/pglite.open.js';
import {
  adminQuery,
  testPostgresUrl,
  usesRealServices,
  withDatabaseName,
} from './test-services.js';

export type TestDatabase = DatabaseHandle & { name: string };

/**
 * A migrated database of this test file's own: a PGlite copy of the template, or on real
 * services a PostgreSQL database cloned from the template. `close()` drops it.
 */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  if (!usesRealServices()) {
    const dump = await fs.readFile(inject('pgliteTemplatePath'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([dump]), ...pgliteOptions });
    return { ...wrapPGlite(pglite), name: 'pglite' };
  }
  return createPostgresDatabase(`template ${inject('postgresTemplateDatabase')}`);
};

/** An empty, unmigrated database, for the test that applies every migration from zero. */
export const createEmptyTestDatabase = async (): Promise<TestDatabase> => {
  if (!usesRealServices()) {
    return { ...wrapPGlite(await PGlite.create(pgliteOptions)), name: 'pglite' };
  }
  return createPostgresDatabase('');
};

const createPostgresDatabase = async (templateClause: string): Promise<TestDatabase> => {
  const name = `myfile_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} ${templateClause}`);
  const handle = openPostgres({ url: withDatabaseName(testPostgresUrl(), name), poolSize: 10 });
  return {
    ...handle,
    name,
    close: async () => {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
};
