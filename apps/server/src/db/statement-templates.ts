import { isDeepStrictEqual } from 'node:util';
import { createQueryId, type CompiledQuery, type RootOperationNode } from 'kysely';
import type { Db } from './database.js';

/**
 * A statement built and compiled once per shape, then sent again with each call's values.
 *
 * Building a folder page with Kysely (a few hundred operation nodes, frozen, visited, compiled
 * to text) took about a third of the page's CPU in this process, for a text that depends only on
 * the page's sort, order, folder kind and whether a cursor is given. The shape is what changes
 * the text and is the cache key; the values are what the statement's parameters carry.
 *
 * `build` sees the shape and the values, and nothing else: declare it at module level, so it
 * cannot read a request's values past `values`. A template is made by building twice, with two
 * sets of stand-ins for the values, and kept only when both give the same text and every
 * parameter is either one value's stand-in in both or the same constant in both. A value that
 * changes the text (it belongs in the shape) or one `build` transforms (`limit + 1`) is found
 * there, on the first call, rather than sent wrong on the next.
 */
export const statementTemplate = <Shape, Values extends Record<string, unknown>, Row>(
  build: Build<Shape, Values, Row>,
) => {
  // Per database: the text is the dialect's, and a test run opens many databases.
  const byDb = new WeakMap<Db, Map<string, Template>>();
  return (db: Db, shape: Shape, values: Values): CompiledQuery<Row> => {
    let templates = byDb.get(db);
    if (!templates) {
      templates = new Map();
      byDb.set(db, templates);
    }
    const key = JSON.stringify(shape);
    let template = templates.get(key);
    if (!template) {
      template = makeTemplate(db, shape, Object.keys(values), build);
      if (templates.size < MAX_SHAPES) templates.set(key, template);
    }
    return {
      sql: template.sql,
      query: template.query,
      queryId: createQueryId(),
      parameters: template.slots.map((slot) =>
        'value' in slot ? values[slot.value] : slot.constant,
      ),
    };
  };
};

/** A query builder or a `sql` template, compiled for `db`. */
type Build<Shape, Values, Row> = (
  db: Db,
  shape: Shape,
  values: Values,
) => { compile(db: Db): CompiledQuery<Row> };

/** Where each parameter comes from: a value by name, or a constant of the shape. */
type Slot = { value: string } | { constant: unknown };
type Template = { sql: string; query: RootOperationNode; slots: readonly Slot[] };

/** Shapes are a handful of enums: a caller that makes more is building keys from values. */
const MAX_SHAPES = 256;

// A control character no value of ours holds: any part of a stand-in, even cut short, shows.
const MARK = '\u0001';
const standIn = (run: 'a' | 'b', name: string) => `${MARK}stand-in ${run} ${name}`;

const mentionsStandIn = (value: unknown): boolean =>
  typeof value === 'string'
    ? value.includes(MARK)
    : Array.isArray(value)
      ? value.some(mentionsStandIn)
      : false;

const makeTemplate = <Shape, Values extends Record<string, unknown>, Row>(
  db: Db,
  shape: Shape,
  names: string[],
  build: Build<Shape, Values, Row>,
): Template => {
  const compileWith = (run: 'a' | 'b') =>
    // The stand-ins are strings whatever the values' types: `build` only places them.
    build(
      db,
      shape,
      Object.fromEntries(names.map((name) => [name, standIn(run, name)])) as Values,
    ).compile(db);
  const a = compileWith('a');
  const b = compileWith('b');
  const problem = (what: string) =>
    new Error(`The statement template for ${JSON.stringify(shape)}: ${what}.\n${a.sql}`);
  if (a.sql !== b.sql || a.parameters.length !== b.parameters.length) {
    throw problem('a value changes its text (it belongs in the shape)');
  }
  const byStandIn = new Map(names.map((name) => [standIn('a', name), name]));
  const slots = a.parameters.map((parameter, index): Slot => {
    const other = b.parameters[index];
    const name = typeof parameter === 'string' ? byStandIn.get(parameter) : undefined;
    if (name !== undefined && other === standIn('b', name)) return { value: name };
    if (isDeepStrictEqual(parameter, other) && !mentionsStandIn(parameter)) {
      return { constant: parameter };
    }
    throw problem(`parameter $${index + 1} is made from a value, not the value itself`);
  });
  return { sql: a.sql, query: a.query, slots };
};
