import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { pgliteOptions } from './pglite.open.js';
import { PGliteStatements } from './pglite.statements.js';
import { isPlannable } from './prepared-statements.js';

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create(pgliteOptions);
});
afterAll(() => pglite.close());
beforeEach(async () => {
  await pglite.exec(`
    deallocate all;
    drop table if exists jobs;
    create table jobs (id int primary key, name text not null, status text not null,
      size bigint, due timestamptz, tags text[]);
    create unique index jobs_one_live on jobs (name) where status in ('queued', 'running');
  `);
});

// PostgreSQL plans a prepared statement's first five runs for their values, then may reuse
// one generic plan: every behaviour below is checked past that point.
const RUNS = 8;

test('a statement run again and again keeps one plan and answers for each run', async () => {
  const statements = new PGliteStatements(pglite);
  for (let id = 1; id <= RUNS; id += 1) {
    await statements.query('insert into jobs (id, name, status, size) values ($1, $2, $3, $4)', [
      id,
      `job ${id}`,
      'done',
      id * 2 ** 32,
    ]);
  }
  for (let id = 1; id <= RUNS; id += 1) {
    const { rows } = await statements.query<{ name: string; size: number }>(
      'select name, size from jobs where id = $1',
      [id],
    );
    expect(rows).toEqual([{ name: `job ${id}`, size: id * 2 ** 32 }]);
  }
  expect(statements.size).toBe(2);
});

test('values of every kind reach the database as the unprepared path sends them', async () => {
  const statements = new PGliteStatements(pglite);
  const due = new Date('2026-12-06T10:00:00.123Z');
  const insert =
    'insert into jobs (id, name, status, due, tags) values ($1, $2, $3, $4, $5) returning *';
  const { rows, affectedRows } = await statements.query(insert, [1, 'a', 'done', due, ['x', 'y']]);
  expect(affectedRows).toBe(1);
  expect(rows).toEqual([{ id: 1, name: 'a', status: 'done', size: null, due, tags: ['x', 'y'] }]);
  const nulls = await statements.query(insert, [2, 'b', 'done', null, undefined]);
  expect(nulls.rows).toMatchObject([{ due: null, tags: null }]);
});

test('an ON CONFLICT whose index predicate holds a parameter still finds its index', async () => {
  const statements = new PGliteStatements(pglite);
  const enqueue = `insert into jobs (id, name, status) values ($1, $2, $3)
    on conflict (name) where status in ($4, $5) do nothing returning id`;
  expect(isPlannable(enqueue)).toBe(false);
  for (let id = 1; id <= RUNS; id += 1) {
    const { rows } = await statements.query(enqueue, [id, 'only', 'queued', 'queued', 'running']);
    expect(rows).toHaveLength(id === 1 ? 1 : 0);
  }
  // The same shape with literals is kept.
  expect(isPlannable(enqueue.replace('($4, $5)', "('queued', 'running')"))).toBe(true);
});

test('a failing statement reports its error and leaves the session usable', async () => {
  const statements = new PGliteStatements(pglite);
  const insert = 'insert into jobs (id, name, status) values ($1, $2, $3)';
  await statements.query(insert, [1, 'a', 'done']);
  await expect(statements.query(insert, [1, 'b', 'done'])).rejects.toMatchObject({
    code: '23505',
  });
  await expect(statements.query('select nonsense from jobs', [])).rejects.toMatchObject({
    code: '42703',
  });
  await statements.query(insert, [2, 'b', 'done']);
  const { rows } = await statements.query('select count(*)::int as n from jobs', []);
  expect(rows).toEqual([{ n: 2 }]);
});

test('inside a transaction a failure rolls back with it, and the next one starts clean', async () => {
  const statements = new PGliteStatements(pglite);
  const insert = 'insert into jobs (id, name, status) values ($1, $2, $3)';
  await statements.query('begin', []);
  await statements.query(insert, [1, 'a', 'done']);
  await expect(statements.query(insert, [1, 'a', 'done'])).rejects.toMatchObject({
    code: '23505',
  });
  await statements.query('rollback', []);
  await statements.query(insert, [2, 'b', 'done']);
  const { rows } = await statements.query('select id from jobs', []);
  expect(rows).toEqual([{ id: 2 }]);
});

test('past its capacity the least recently used plan goes, and its text is prepared again', async () => {
  const statements = new PGliteStatements(pglite, { capacity: 2 });
  const texts = ['select 1 as n where $1::int > 0', 'select 2 as n where $1::int > 0'];
  const third = 'select 3 as n where $1::int > 0';
  for (const text of texts) await statements.query(text, [1]);
  await statements.query(texts[0] ?? '', [1]); // now the second is the oldest
  await statements.query(third, [1]);
  expect(statements.size).toBe(2);
  const { rows } = await pglite.query<{ statement: string }>(
    'select statement from pg_prepared_statements order by statement',
  );
  expect(rows.map((row) => row.statement)).toEqual([texts[0], third]);
  for (const [index, text] of [...texts, third].entries()) {
    const again = await statements.query(text, [1]);
    expect(again.rows).toEqual([{ n: index + 1 }]);
  }
  expect(statements.size).toBe(2);
});

test('after a schema change a kept `select *` answers with the new columns', async () => {
  const statements = new PGliteStatements(pglite);
  await statements.query("insert into jobs (id, name, status) values ($1, $2, 'done')", [1, 'a']);
  const everything = 'select * from jobs where id = $1';
  for (let run = 0; run < RUNS; run += 1) await statements.query(everything, [1]);
  await statements.query('alter table jobs add column note text', []);
  const { rows } = await statements.query(everything, [1]);
  expect(rows[0]).toHaveProperty('note', null);
});
