import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table counters (id int primary key, value int not null)`.execute(database.db);
  await sql`insert into counters values (1, 0)`.execute(database.db);
});
afterAll(() => database.close());

// On PGlite every "connection" is the same session: this proves statements of concurrent
// requests never land inside one another's transaction.
test('a rolled-back transaction loses nothing of a concurrent one', async () => {
  const failing = database.db.transaction().execute(async (trx) => {
    await sql`update counters set value = value + 100 where id = 1`.execute(trx);
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw new Error('boom');
  });
  const succeeding = Promise.all(
    Array.from({ length: 10 }, () =>
      sql`update counters set value = value + 1 where id = 1`.execute(database.db),
    ),
  );
  await expect(failing).rejects.toThrow('boom');
  await succeeding;
  const { rows } = await sql<{ value: number }>`select value from counters where id = 1`.execute(
    database.db,
  );
  expect(rows[0]?.value).toBe(10);
});

test('bigint columns come back as numbers on every driver', async () => {
  const { rows } = await sql<{ big: number; counted: number }>`
    select 5368709120::bigint as big, count(*) as counted from counters
  `.execute(database.db);
  expect(rows[0]).toEqual({ big: 5368709120, counted: 1 });
});
