import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createAppContext, type AppContext } from '../apps/server/src/app/app-context.js';
import { createLogger, lineDestination } from '../apps/server/src/app/logger.js';
import { createServer, type App } from '../apps/server/src/app/server.js';
import { parseConfig } from '../apps/server/src/config/config.js';
import { openPostgres, type DatabaseHandle } from '../apps/server/src/db/database.js';
import {
  signUpAndSignIn,
  type SignedInUser,
} from '../apps/server/src/modules/auth/auth.test-utils.js';
import type { ClientResult, ClientTask } from './client.process.js';

export type BenchApp = {
  app: App;
  context: AppContext;
  baseUrl: string;
  user: SignedInUser;
  dataDir: string;
  close(): Promise<void>;
};

export type BenchAppOptions = {
  env?: Record<string, string>;
  /**
   * `info` logs as `npm start` does by default (a JSON line per request), into `server.log` in
   * the data dir, batched as stdout is; by default the app logs nothing.
   */
  logLevel?: 'silent' | 'info';
};

/**
 * The real server listening on a port, on a fresh data dir: PGlite and disk unless `database`
 * is a PostgreSQL database (already created, empty or migrated).
 */
export const startBenchApp = async ({
  env = {},
  database,
  logLevel = 'silent',
}: BenchAppOptions & { database?: DatabaseHandle } = {}): Promise<BenchApp> => {
  const dataDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'files-bench-'));
  const config = parseConfig({ DATA_DIR: dataDir, ...env, LOG_LEVEL: logLevel });
  const logger =
    logLevel === 'silent'
      ? pino({ level: 'silent' })
      : createLogger({
          level: logLevel,
          interactive: false,
          destination: lineDestination(join(dataDir, 'server.log')),
        });
  const context = await createAppContext(config, { logger, ...(database ? { database } : {}) });
  const app = await createServer(context);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The bench server has no port.');
  const user = await signUpAndSignIn(app);
  return {
    app,
    context,
    baseUrl: `http://127.0.0.1:${address.port}`,
    user,
    dataDir,
    close: async () => {
      await app.close();
      await context.close();
      // A load generator stops mid-request: an aborted upload may still be cleaning up its
      // staged blob while the directory goes, so rm retries rather than fails on ENOTEMPTY.
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10 });
    },
  };
};

/** A throwaway PostgreSQL database, or undefined when none is reachable (the row says so). */
export const createBenchPostgres = async (): Promise<
  { handle: DatabaseHandle; drop(): Promise<void> } | undefined
> => {
  const { default: pg } = await import('pg');
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `myfile_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch {
    await admin.end().catch(() => undefined);
    return undefined;
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openPostgres({ url: url.toString(), poolSize: 10 });
  return {
    handle,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
};

/**
 * Runs `measure` on an app over embedded PGlite, then over a throwaway PostgreSQL database;
 * returns false (having measured PGlite only) when no PostgreSQL server is reachable.
 */
export const onEachBenchDatabase = async (
  measure: (database: 'PGlite' | 'PostgreSQL', app: BenchApp) => Promise<void>,
  options: BenchAppOptions = {},
): Promise<boolean> => {
  const embedded = await startBenchApp(options);
  try {
    await measure('PGlite', embedded);
  } finally {
    await embedded.close();
  }
  const postgres = await createBenchPostgres();
  if (!postgres) return false;
  const api = await startBenchApp({ ...options, database: postgres.handle });
  try {
    await measure('PostgreSQL', api);
  } finally {
    await api.close();
    await postgres.drop();
  }
  return true;
};

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Runs one client task in a child process (bench/client.process.ts) and waits for its figures. */
export const runClient = async (task: ClientTask): Promise<ClientResult> =>
  new Promise<ClientResult>((resolve, reject) => {
    const child = fork(new URL('./client.process.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
    });
    child.once('message', (result) => {
      resolve(result as ClientResult);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== null && code !== 0) reject(new Error(`The bench client exited with ${code}.`));
    });
    child.send(task);
  });
