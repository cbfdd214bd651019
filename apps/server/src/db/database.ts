import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';
import { createPGliteDialect } from './pglite.dialect.js';
import { createPostgresPool, type PostgresTimeouts } from './postgres.pool.js';
import { DurableNodeFS, durableStartParams } from './pglite.durable-fs.js';

export type Db = Kysely<Database>;

export type DatabaseHandle = {
  db: Db;
  driverName: 'pglite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
};

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Byte counts are bigint columns; both drivers hand them to us as JS numbers, which are
 * exact up to 8 PiB. Without this PGlite and node-postgres would disagree (bigint vs string).
 */
const toNumber = (value: string) => Number(value);

const postgresTypeParsers = new pg.TypeOverrides();
postgresTypeParsers.setTypeParser(INT8_OID, toNumber);
postgresTypeParsers.setTypeParser(NUMERIC_OID, toNumber);

export const openPostgres = ({
  url,
  poolSize,
  statementTimeoutMs = 0,
}: {
  url: string;
  poolSize: number;
} & Partial<PostgresTimeouts>): DatabaseHandle => {
  const { kyselyPool } = createPostgresPool({
    url,
    poolSize,
    types: postgresTypeParsers,
    statementTimeoutMs,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
  return {
    db,
    driverName: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
};

const pgliteParsers = { [pgliteTypes.INT8]: toNumber, [NUMERIC_OID]: toNumber };

/**
 * What every embedded database opens with: our parsers, and pg_trgm (PGlite ships it as a
 * loadable extension) for the trigram index behind name search.
 */
export const pgliteOptions = { parsers: pgliteParsers, extensions: { pg_trgm } };

export const wrapPGlite = (pglite: PGlite): DatabaseHandle => {
  const db = new Kysely<Database>({ dialect: createPGliteDialect(pglite) });
  return {
    db,
    driverName: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
};

/**
 * PostgreSQL's default 128 MB of shared buffers is sized for a server of its own; the embedded
 * database shares one small machine with the app, and its pages are in the OS page cache too.
 * 1/256 of the memory, between 16 and 64 MB (a 4 GB machine gets 16 MB).
 */
export const pgliteSharedBuffersMb = (totalBytes = os.totalmem()) =>
  Math.min(64, Math.max(16, Math.floor(totalBytes / 256 / 1024 / 1024)));

/**
 * `durable: false` is PGlite's own default (no fsync), kept only so the bench can show what
 * durability costs.
 */
export const openPGlite = async ({
  dataDir,
  durable = true,
}: {
  dataDir: string;
  durable?: boolean;
}): Promise<DatabaseHandle> => {
  await fs.mkdir(dataDir, { recursive: true });
  const buffers = ['-c', `shared_buffers=${pgliteSharedBuffersMb()}MB`];
  const pglite = await PGlite.create(
    durable
      ? {
          fs: new DurableNodeFS(dataDir),
          startParams: [...durableStartParams, ...buffers],
          ...pgliteOptions,
        }
      : {
          dataDir,
          startParams: [...PGlite.defaultStartParams, ...buffers],
          ...pgliteOptions,
        },
  );
  // A new data directory is written by initdb without syncing: a checkpoint puts it on disk.
  if (durable) await pglite.exec('checkpoint');
  return wrapPGlite(pglite);
};

export const openDatabase = async (config: {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  DATA_DIR: string;
}): Promise<DatabaseHandle> =>
  config.DATABASE_URL
    ? openPostgres({
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      })
    : openPGlite({ dataDir: path.join(config.DATA_DIR, 'db') });
