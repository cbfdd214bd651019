import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';

// On PGlite under `npm test`, on PostgreSQL under the services run: both drivers are watched.
let database: TestDatabase;
let heard = 0;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table scratch (id int primary key, label text not null)`.execute(database.db);
  await sql`insert into scratch values (1, 'one')`.execute(database.db);
  database.writes.subscribe(() => (heard += 1));
});
afterAll(() => database.close());
beforeEach(() => {
  heard = 0;
});

test('a read is not heard, however it is written', async () => {
  await sql`select label, 'updated_at' as created from scratch where id = 1`.execute(database.db);
  await database.db.selectFrom('nodes').select('id').limit(1).execute();
  expect(heard).toBe(0);
});

test('a change outside a transaction is heard once it is done; one that changes no row is not', async () => {
  await sql`update scratch set label = 'uno' where id = 1`.execute(database.db);
  expect(heard).toBe(1);
  await sql`update scratch set label = 'none' where id = 99`.execute(database.db);
  await database.db
    .deleteFrom('nodes')
    .where('id', '=', '00000000-0000-4000-8000-000000000000')
    .execute();
  expect(heard).toBe(1);
});

test('a transaction is heard at its commit, once, and not before', async () => {
  await database.db.transaction().execute(async (trx) => {
    await sql`insert into scratch values (2, 'two')`.execute(trx);
    await sql`update scratch set label = 'deux' where id = 2`.execute(trx);
    expect(heard).toBe(0);
  });
  expect(heard).toBe(1);
});

test('a transaction rolled back, or one that only read, is not heard', async () => {
  await expect(
    database.db.transaction().execute(async (trx) => {
      await sql`insert into scratch values (3, 'three')`.execute(trx);
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  await database.db.transaction().execute(async (trx) => {
    await sql`select * from scratch`.execute(trx);
  });
  expect(heard).toBe(0);
  const { rows } = await sql<{ id: number }>`select id from scratch where id = 3`.execute(
    database.db,
  );
  expect(rows).toEqual([]);
});

test('a change the driver counts no rows of (a data-changing with) is heard', async () => {
  await sql`with changed as (update scratch set label = 'eins' where id = 1 returning id)
    select id from changed`.execute(database.db);
  expect(heard).toBe(1);
});

test('a statement that fails is not heard; a commit that fails is, as it may have committed', async () => {
  await expect(sql`insert into scratch values (1, 'again')`.execute(database.db)).rejects.toThrow();
  expect(heard).toBe(0);
  // A deferred check fails at COMMIT, after the transaction's change was made.
  await sql`create table deferred (id int unique deferrable initially deferred)`.execute(
    database.db,
  );
  heard = 0;
  await expect(
    database.db.transaction().execute(async (trx) => {
      await sql`insert into deferred values (1), (1)`.execute(trx);
      expect(heard).toBe(0);
    }),
  ).rejects.toThrow();
  expect(heard).toBe(1);
});
