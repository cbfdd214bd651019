import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { watchCommittedWrites, type CommittedWrites } from './committed-writes.js';
import type { Database } from './database.types.js';
import { createPGliteDialect } from './pglite.dialect.js';
import { createPostgresPool, type PostgresTimeouts } from './postgres.pool.js';
import type { WasmMemory } from './pglite.durable-fs.js';

export type Db = Kysely<Database>;

export type DatabaseHandle = {
  db: Db;
  driverName: 'pglite' | 'postgres';
  /** Every change this process commits, as it commits (see committed-writes.ts). */
  writes: CommittedWrites;
  ping(): Promise<void>;
  /** What the database holds in this process's memory, in bytes; empty for a separate server. */
  memory(): Promise<DatabaseMemory>;
  close(): Promise<void>;
};

export type DatabaseMemory = {
  /** The embedded PostgreSQL's WebAssembly memory (reserved; only pages it touched are resident). */
  wasmBytes?: number;
  /** What the embedded PostgreSQL has allocated in that memory (its memory contexts). */
  contextBytes?: number;
  sharedBuffersBytes?: number;
};

const INT8_OID = 20;
export const NUMERIC_OID = 1700;

/**
 * Byte counts are bigint columns; both drivers hand them to us as JS numbers, which are
 * exact up to 8 PiB. Without this PGlite and node-postgres would disagree (bigint vs string).
 */
export const toNumber = (value: string) => Number(value);

const postgresTypeParsers = new pg.TypeOverrides();
postgresTypeParsers.setTypeParser(INT8_OID, toNumber);
postgresTypeParsers.setTypeParser(NUMERIC_OID, toNumber);

export const openPostgres = ({
  url,
  poolSize,
  statementTimeoutMs = 0,
  preparedStatements = true,
}: {
  url: string;
  poolSize: number;
  preparedStatements?: boolean;
} & Partial<PostgresTimeouts>): DatabaseHandle => {
  const { kyselyPool } = createPostgresPool({
    url,
    poolSize,
    types: postgresTypeParsers,
    statementTimeoutMs,
    preparedStatements,
  });
  const { dialect, writes } = watchCommittedWrites(new PostgresDialect({ pool: kyselyPool }));
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    driverName: 'postgres',
    writes,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    memory: () => Promise.resolve({}),
    close: () => db.destroy(),
  };
};

export const wrapPGlite = (
  pglite: PGlite,
  { wasmMemory }: { wasmMemory?: WasmMemory | undefined } = {},
): DatabaseHandle => {
  const { dialect, writes } = watchCommittedWrites(createPGliteDialect(pglite));
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    driverName: 'pglite',
    writes,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    memory: async () => {
      const { rows } = await sql<{ context_bytes: number; shared_buffers_bytes: number }>`
        select (select sum(total_bytes) from pg_backend_memory_contexts) as context_bytes,
          (select setting::bigint * 8192 from pg_settings where name = 'shared_buffers')
            as shared_buffers_bytes`.execute(db);
      return {
        ...(wasmMemory ? { wasmBytes: wasmMemory.buffer.byteLength } : {}),
        contextBytes: rows[0]?.context_bytes ?? 0,
        sharedBuffersBytes: rows[0]?.shared_buffers_bytes ?? 0,
      };
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
};

/**
 * The memory this process may use: the machine's, or less when a container limit (cgroup)
 * says so. Node reports "no limit" as a huge number (or 0 on some versions).
 */
export const availableMemoryBytes = (
  total = os.totalmem(),
  constrained = process.constrainedMemory(),
) => (constrained > 0 && constrained < total ? constrained : total);

/**
 * PostgreSQL's default 128 MB of shared buffers is sized for a server of its own; the embedded
 * database shares one small machine with the app, its pages are in the OS page cache too, and
 * every megabyte of them is resident from the start. 1/1024 of the memory, between 16 and 64 MB
 * (a 16 GB machine or container gets 16 MB, 64 GB gets 64 MB).
 */
export const pgliteSharedBuffersMb = (totalBytes = availableMemoryBytes()) =>
  Math.min(64, Math.max(16, Math.floor(totalBytes / 1024 / 1024 / 1024)));

/**
 * V8 runs PostgreSQL's WebAssembly on its baseline compiler (Liftoff) first and recompiles every
 * function that turns hot with TurboFan, on background threads. Those compiles allocate in
 * glibc's per-thread malloc arenas, which a running process never hands back: 60–110 MiB of an
 * idle server's RSS (after a start: 264–269 against 184–186 MiB without them). Queries were no
 * slower on the baseline code (a 50-row keyset read, 6,000 times: 5.5–11.7 s against 10.2–14.7 s
 * with TurboFan, 2 busy cores). Node 20 takes it from `v8.setFlagsFromString` before the first
 * database opens; Node 26 (the image's) ignores it there and reads it only from the command line
 * (not from NODE_OPTIONS), so `npm start` and the image pass it there too. See
 * docs/reliability.md.
 */
export const PGLITE_V8_FLAGS = '--liftoff-only';

/**
 * A new embedded database is a copy of the build's template (initdb and the migrations already
 * run) only where the migrations would run on open anyway (`fromTemplate`, by default
 * MIGRATE_ON_START): with MIGRATE_ON_START=false, or under `myfile migrate`, which says what it
 * applied, the migrations stay the operator's to run.
 */
export const openDatabase = async (
  config: {
    DATABASE_URL?: string | undefined;
    DATABASE_POOL_SIZE: number;
    DATABASE_STATEMENT_TIMEOUT_MS: number;
    DATABASE_PREPARED_STATEMENTS: boolean;
    DATA_DIR: string;
    MIGRATE_ON_START: boolean;
  },
  { fromTemplate = config.MIGRATE_ON_START }: { fromTemplate?: boolean } = {},
): Promise<DatabaseHandle> =>
  config.DATABASE_URL
    ? openPostgres({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      })
    : // PGlite (its JavaScript and its WebAssembly) is loaded only by a process that uses it.
      (await import('./pglite.open.js')).openPGlite({
        dataDir: path.join(config.DATA_DIR, 'db'),
        // `undefined`: the template the build put beside the bundle, if any; `null`: initdb.
        template: fromTemplate ? undefined : null,
      });
