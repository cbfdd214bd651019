import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { adminQuery, testPostgresUrl, withDatabaseName } from '../test-support/test-services.js';
import { createPostgresPool } from './postgres.pool.js';

const name = `myfile_pool_${randomBytes(6).toString('hex')}`;
const url = withDatabaseName(testPostgresUrl(), name);
// Kysely over a pool of its own: these tests look at its connections, not at a schema.
type Tables = { items: { id: number; label: string } };
const open = (options: { preparedStatements?: boolean; statementsPerConnection?: number } = {}) => {
  const { kyselyPool } = createPostgresPool({
    url,
    poolSize: 1,
    types: new pg.TypeOverrides(),
    statementTimeoutMs: 0,
    ...options,
  });
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
};
const opened: Kysely<Tables>[] = [];
const openDb = (options?: Parameters<typeof open>[0]) => {
  const db = open(options);
  opened.push(db);
  return db;
};

beforeAll(async () => {
  await adminQuery(`create database ${name}`);
  const db = openDb({ preparedStatements: false });
  await sql`create table items (id int primary key, label text not null)`.execute(db);
  await sql`insert into items values (1, 'one'), (2, 'two')`.execute(db);
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.destroy()));
  await adminQuery(`drop database if exists ${name} with (force)`);
});

/** The statements the (only) pooled connection holds, and which backend it is. */
const connectionState = async (db: Kysely<Tables>) => {
  const { rows } = await sql<{ statement: string; pid: number }>`
    select statement, pg_backend_pid() as pid from pg_prepared_statements
    union all select null, pg_backend_pid()`.execute(db);
  return {
    pid: rows[0]?.pid,
    statements: rows.flatMap((row) => (row.statement ? [row.statement] : [])),
  };
};

const itemById = (db: Kysely<Tables>, id: number) =>
  db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

test('a statement is planned once per connection and reused with new values', async () => {
  const db = openDb();
  for (let id = 1; id <= 8; id++) {
    const row = await itemById(db, 1 + (id % 2));
    expect(row.id).toBe(1 + (id % 2));
  }
  const { statements } = await connectionState(db);
  expect(statements.filter((text) => text.includes('from "items"'))).toHaveLength(1);
});

test('with prepared statements off, the connection keeps none', async () => {
  const db = openDb({ preparedStatements: false });
  await itemById(db, 1);
  await itemById(db, 1);
  expect((await connectionState(db)).statements).toEqual([]);
});

test('a connection full of plans is replaced by a fresh one, so plans stay bounded', async () => {
  const db = openDb({ statementsPerConnection: 3 });
  const first = await connectionState(db);
  // Three texts: the state query above and two shapes of item query. The fourth is over.
  await itemById(db, 1);
  await db.selectFrom('items').select('label').where('id', '=', 2).execute();
  const full = await connectionState(db);
  expect(full.pid).toBe(first.pid);
  expect(full.statements).toHaveLength(3);
  await db.selectFrom('items').select('id').execute();
  const fresh = await connectionState(db);
  expect(fresh.pid).not.toBe(first.pid);
  expect(fresh.statements).toHaveLength(1);
});

test('a schema change on the connection retires it with its plans', async () => {
  const db = openDb();
  await itemById(db, 1);
  const before = await connectionState(db);
  await sql`create index if not exists items_label on items (label)`.execute(db);
  const after = await connectionState(db);
  expect(after.pid).not.toBe(before.pid);
});

test("another process's migration under a kept plan: the statement runs again outside a transaction, fails once inside one", async () => {
  const db = openDb();
  const other = openDb({ preparedStatements: false });
  for (let run = 0; run < 3; run++) await itemById(db, 1);
  await sql`alter table items add column note text`.execute(other);
  try {
    // Outside a transaction: the caller sees the new column, not the error.
    expect(await itemById(db, 1)).toEqual({ id: 1, label: 'one', note: null });

    for (let run = 0; run < 3; run++) await itemById(db, 2);
    const stale = await connectionState(db);
    await sql`alter table items drop column note`.execute(other);
    await expect(db.transaction().execute((trx) => itemById(trx, 2))).rejects.toMatchObject({
      code: '0A000',
    });
    // The connection that held the stale plan is gone; the next one plans afresh.
    expect((await connectionState(db)).pid).not.toBe(stale.pid);
    expect(await itemById(db, 2)).toEqual({ id: 2, label: 'two' });
  } finally {
    await sql`alter table items drop column if exists note`.execute(other);
  }
});
