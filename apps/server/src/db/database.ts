import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.js';
import { createPGliteDialect } from './pglite.dialect.js';
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
}: {
  url: string;
  poolSize: number;
}): DatabaseHandle => {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    types: postgresTypeParsers,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driverName: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
};

export const pgliteParsers = { [pgliteTypes.INT8]: toNumber, [NUMERIC_OID]: toNumber };

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
  const pglite = await PGlite.create(
    durable
      ? { fs: new DurableNodeFS(dataDir), startParams: durableStartParams, parsers: pgliteParsers }
      : { dataDir, parsers: pgliteParsers },
  );
  // A new data directory is written by initdb without syncing: a checkpoint puts it on disk.
  if (durable) await pglite.exec('checkpoint');
  return wrapPGlite(pglite);
};

export const openDatabase = async (config: {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE: number;
  DATA_DIR: string;
}): Promise<DatabaseHandle> =>
  config.DATABASE_URL
    ? openPostgres({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE })
    : openPGlite({ dataDir: path.join(config.DATA_DIR, 'db') });
