import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { migrateToLatest, migrations } from './migrations.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyTestDatabase();
  });
  afterAll(() => database.close());

  test('apply from zero, in order, then are a no-op', async () => {
    const applied = await migrateToLatest(database.db);
    expect(applied).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(database.db)).toEqual([]);

    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public'
    `.execute(database.db);
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['jobs', 'job_schedules']),
    );
  });

  test('two processes migrating at once both succeed', async () => {
    const results = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db)]);
    expect(results).toEqual([[], []]);
  });
});
