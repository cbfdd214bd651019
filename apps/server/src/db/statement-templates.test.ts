import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import type { Db } from './database.js';
import { statementTemplate } from './statement-templates.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

type Shape = { order: 'asc' | 'desc'; kinds: string[] };
type Values = { low: number; high: number; label: string };

let builds = 0;
// The values in another order than the parameters, one of them twice; the shape's kinds are
// constants the text carries as parameters of their own.
const numbers = statementTemplate((db: Db, shape: Shape, values: Values) => {
  builds += 1;
  return sql<{ n: number; label: string; kind: string }>`
    select n, ${values.label}::text || ':' || ${values.low}::int as label, kind
    from generate_series(${values.low}::int, ${values.high}::int) n,
      unnest(array[${sql.join(shape.kinds)}]::text[]) kind
    order by n ${sql.raw(shape.order)}, kind`;
});

const run = async (shape: Shape, values: Values) =>
  (await database.db.executeQuery(numbers(database.db, shape, values))).rows;

describe('a statement template', () => {
  test('sends each call its own values, in the text its shape made', async () => {
    expect(await run({ order: 'asc', kinds: ['a'] }, { low: 1, high: 3, label: 'x' })).toEqual([
      { n: 1, label: 'x:1', kind: 'a' },
      { n: 2, label: 'x:1', kind: 'a' },
      { n: 3, label: 'x:1', kind: 'a' },
    ]);
    expect(await run({ order: 'asc', kinds: ['a'] }, { low: 5, high: 6, label: 'y' })).toEqual([
      { n: 5, label: 'y:5', kind: 'a' },
      { n: 6, label: 'y:5', kind: 'a' },
    ]);
    expect(
      await run({ order: 'desc', kinds: ['a', 'b'] }, { low: 7, high: 8, label: 'z' }),
    ).toEqual([
      { n: 8, label: 'z:7', kind: 'a' },
      { n: 8, label: 'z:7', kind: 'b' },
      { n: 7, label: 'z:7', kind: 'a' },
      { n: 7, label: 'z:7', kind: 'b' },
    ]);
  });

  test('is built once per shape and database (twice, to check it), then only filled in', async () => {
    const before = builds;
    const shape: Shape = { order: 'desc', kinds: ['c'] };
    await run(shape, { low: 1, high: 2, label: 'first' });
    expect(builds - before).toBe(2);
    for (let high = 3; high < 10; high += 1) await run(shape, { low: 1, high, label: 'again' });
    expect(builds - before).toBe(2);
    expect(await run(shape, { low: 2, high: 2, label: 'last' })).toEqual([
      { n: 2, label: 'last:2', kind: 'c' },
    ]);
  });

  test('refuses a value written into the text: it belongs in the shape', () => {
    const inText = statementTemplate(
      (_db: Db, _shape: object, values: { column: string }) =>
        sql`select ${sql.ref(values.column)} from nodes`,
    );
    expect(() => inText(database.db, {}, { column: 'name' })).toThrow(/belongs in the shape/);
  });

  test('refuses a parameter made from a value rather than the value itself', () => {
    const derived = statementTemplate(
      (_db: Db, _shape: object, values: { limit: number }) =>
        sql`select 1 limit ${values.limit + 1}`,
    );
    expect(() => derived(database.db, {}, { limit: 10 })).toThrow(/made from a value/);
    const wrapped = statementTemplate(
      (_db: Db, _shape: object, values: { name: string }) => sql`select ${[values.name]}::text[]`,
    );
    expect(() => wrapped(database.db, {}, { name: 'a' })).toThrow(/made from a value/);
    // The same in both builds, yet not the value: a part of its stand-in.
    const cut = statementTemplate(
      (_db: Db, _shape: object, values: { name: string }) =>
        sql`select ${values.name.slice(0, 3)}::text`,
    );
    expect(() => cut(database.db, {}, { name: 'abc' })).toThrow(/made from a value/);
    // Not a part of the stand-in a value may be told by, yet not the same in both builds.
    const inner = statementTemplate(
      (_db: Db, _shape: object, values: { name: string }) =>
        sql`select ${values.name.slice(1, -1)}::text`,
    );
    expect(() => inner(database.db, {}, { name: 'abc' })).toThrow(/made from a value/);
  });
});
