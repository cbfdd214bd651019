import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadOrCreateKeyRingFile } from '../keys/key-ring.file.js';
import { buildServerCli, startServerInDataDir, type ServerProcess } from './server-process.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testPostgresUrl, withDatabaseName } from './test-services.js';

export type ServerProcesses = {
  /** The suite's own PostgreSQL database, which every process it starts shares. */
  readonly database: TestDatabase;
  /** A scratch directory removed after the suite (for storage tiers and the like). */
  readonly root: string;
  /** Starts `node cli.js <args>` in a fresh data directory sharing the suite's key ring. */
  start(
    name: string,
    args: string[],
    env?: Record<string, string>,
  ): Promise<{ server: ServerProcess; url: string }>;
};

/**
 * The fixture of a suite that runs the real CLI as several processes of one deployment (an API,
 * workers it kills and restarts) on a fresh PostgreSQL database: builds the CLI, makes the
 * database and a shared key ring before the suite, stops every process and removes everything
 * after it, and prints each process's output when a test fails.
 * `env(root)` is what every process gets besides the database, a public URL and the log level.
 */
export const useServerProcesses = ({
  prefix,
  publicUrl,
  env,
}: {
  prefix: string;
  publicUrl: string;
  env: (root: string) => Record<string, string>;
}): ServerProcesses => {
  let database: TestDatabase | undefined;
  let build: Awaited<ReturnType<typeof buildServerCli>> | undefined;
  let root = '';
  let ringDir = '';
  const workDirs: string[] = [];
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    const building = buildServerCli();
    database = await createTestDatabase();
    build = await building;
    root = await fs.mkdtemp(path.join(os.tmpdir(), `myfile-${prefix}-`));
    workDirs.push(root);
    ringDir = path.join(root, 'ring');
    await loadOrCreateKeyRingFile(ringDir);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((server) => server.stop()));
    await database?.close();
    await Promise.all(workDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
    await build?.remove();
  });

  afterEach(({ task }) => {
    if (task.result?.state === 'fail') {
      console.error(processes.map((server) => server.describe()).join('\n'));
    }
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useServerProcesses: used before its beforeAll.');
    return value;
  };

  return {
    get database() {
      return ready(database);
    },
    get root() {
      return ready(root || undefined);
    },
    start: async (name, args, extraEnv = {}) => {
      const started = await startServerInDataDir({
        cliPath: ready(build).cliPath,
        name,
        args,
        env: {
          DATABASE_URL: withDatabaseName(testPostgresUrl(), ready(database).name),
          PUBLIC_URL: publicUrl,
          TRUST_PROXY: '1',
          LOG_LEVEL: 'warn',
          ...env(root),
          ...extraEnv,
        },
        ringDir,
        workDirs,
      });
      processes.push(started.server);
      return started;
    },
  };
};
