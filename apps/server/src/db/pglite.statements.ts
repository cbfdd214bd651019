import type * as PGliteModule from '@electric-sql/pglite';
import type { PGlite, Results } from '@electric-sql/pglite';
import { isPlannable, isSchemaChange } from './prepared-statements.js';

/**
 * PGlite's protocol helpers, loaded on first use rather than with this module: `database.ts`
 * imports the dialect in PostgreSQL mode too, which must not load PGlite at all. By then the
 * instance's process has loaded the package, so this resolves from the module cache.
 */
let pgliteModule: Promise<typeof PGliteModule> | undefined;
const loadPGlite = () => (pgliteModule ??= import('@electric-sql/pglite'));

type Prepared = { name: string; paramTypes: readonly number[] };

/**
 * Named prepared statements for the embedded database. `pglite.query` parses and plans every
 * statement anew and crosses into WebAssembly six times for it (parse, describe, bind, describe,
 * execute, sync): for a 50-row folder page, planning alone cost as much as running the query.
 * Here each SQL text is parsed once under a name; every later run is bind + describe + execute +
 * sync in one crossing, and PostgreSQL keeps its plan (switching to a generic one once that
 * costs no more, as it does for a client's prepared statements).
 *
 * The texts kept are bounded (least recently used go first), since a query with a list of
 * values has one text per list length and each plan lives in the database's memory.
 */
export class PGliteStatements {
  readonly #pglite: PGlite;
  readonly #capacity: number;
  readonly #prepared = new Map<string, Prepared>();
  #counter = 0;

  constructor(pglite: PGlite, { capacity = 128 }: { capacity?: number } = {}) {
    this.#pglite = pglite;
    this.#capacity = capacity;
  }

  /** How many texts have a kept plan (for tests). */
  get size(): number {
    return this.#prepared.size;
  }

  async query<R>(sql: string, parameters: readonly unknown[]): Promise<Results<R>> {
    if (!isPlannable(sql)) {
      const result = await this.#pglite.query<R>(sql, [...parameters]);
      if (isSchemaChange(sql)) await this.#forgetAll();
      return result;
    }
    const { parse, protocol } = await loadPGlite();
    const { serialize } = protocol;
    return this.#pglite.runExclusive(async () => {
      const statement = await this.#prepare(sql, { parse, serialize });
      const values = parameters.map((value, index) => this.#serialize(value, statement, index));
      const { messages } = await this.#pglite.execProtocol(
        concat([
          serialize.bind({ statement: statement.name, values }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      const [result] = parse.parseResults(messages, this.#pglite.parsers);
      return (result ?? { rows: [], fields: [] }) as Results<R>;
    });
  }

  async #prepare(
    sql: string,
    {
      parse,
      serialize,
    }: Pick<typeof PGliteModule, 'parse'> & Pick<typeof PGliteModule.protocol, 'serialize'>,
  ): Promise<Prepared> {
    const kept = this.#prepared.get(sql);
    if (kept) {
      // Most recently used last: the map's order is the eviction order.
      this.#prepared.delete(sql);
      this.#prepared.set(sql, kept);
      return kept;
    }
    const name = `kysely_${(this.#counter += 1)}`;
    const evicted = this.#prepared.size >= this.#capacity ? this.#oldest() : undefined;
    const { messages } = await this.#pglite.execProtocol(
      concat([
        ...(evicted ? [serialize.close({ type: 'S', name: evicted.name })] : []),
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    this.#prepared.set(sql, statement);
    return statement;
  }

  #oldest(): Prepared | undefined {
    const [first] = this.#prepared;
    if (!first) return undefined;
    this.#prepared.delete(first[0]);
    return first[1];
  }

  #serialize(value: unknown, statement: Prepared, index: number): string | null {
    if (value === null || value === undefined) return null;
    const type = statement.paramTypes[index];
    const serializer = type === undefined ? undefined : this.#pglite.serializers[type];
    if (serializer) return serializer(value);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    return JSON.stringify(value);
  }

  /** After a schema change: a kept `select *` plan would fail once its table's columns changed. */
  async #forgetAll(): Promise<void> {
    if (this.#prepared.size === 0) return;
    this.#prepared.clear();
    await this.#pglite.exec('deallocate all');
  }
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
