import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bench, BenchRow } from './bench.types.js';
import type { ClientTask } from './client.process.js';
import type { DatabaseHandle } from '../apps/server/src/db/database.js';
import { openPGlite } from '../apps/server/src/db/pglite.open.js';
import {
  createBenchPostgres,
  percentile,
  runClient,
  startBenchApp,
  type BenchApp,
} from './files.bench-utils.js';

type SmallUploads = Extract<ClientTask, { kind: 'small-uploads' }>;

/**
 * The baseline: a bare Node server writing each request body to its own file as durably as our
 * disk store does (fsync, rename into place, fsync the directory), with no parsing, hashing,
 * auth or database.
 */
export const startBareUploadServer = async (dir: string) => {
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const server = http.createServer((request, response) => {
    const tmp = join(dir, 'tmp', randomUUID());
    pipeline(request, createWriteStream(tmp, { flush: true }))
      .then(async () => {
        await rename(tmp, join(dir, randomUUID()));
        const handle = await open(dir, 'r');
        await handle.sync();
        await handle.close();
        response.writeHead(201).end('{}');
      })
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The bare server has no port.');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};

/**
 * The database with every statement Kysely sends counted (BEGIN and COMMIT are not statements
 * here): what each upload costs in round trips, which on a loaded machine cost more than the
 * statements' own work.
 */
const countingStatements = (handle: DatabaseHandle) => {
  let statements = 0;
  const db = handle.db.withPlugin({
    transformQuery: ({ node }) => {
      statements += 1;
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  });
  return { database: { ...handle, db }, statements: () => statements };
};

type Measured = Awaited<ReturnType<typeof runClient>> & {
  serverCpuMsPerFile: number;
  statementsPerFile?: number;
};

/** The client's figures, the CPU time this (the server's) process and the statements per file. */
const runMeasured = async (task: SmallUploads, statements?: () => number): Promise<Measured> => {
  const cpuBefore = process.cpuUsage();
  const statementsBefore = statements?.() ?? 0;
  const result = await runClient(task);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    serverCpuMsPerFile: (cpu.user + cpu.system) / 1000 / task.total,
    ...(statements ? { statementsPerFile: (statements() - statementsBefore) / task.total } : {}),
  };
};

const row = (
  label: string,
  task: SmallUploads,
  result: Measured,
  baseline?: number,
  fsyncOff?: number,
) => {
  const filesPerSecond = task.total / result.seconds;
  return {
    case: `${task.total} × 1 KiB, ${task.clients} clients (${label})`,
    'files/s': filesPerSecond,
    ...(baseline ? { 'vs bare': filesPerSecond / baseline } : {}),
    ...(fsyncOff ? { 'vs PGlite fsync off': filesPerSecond / fsyncOff } : {}),
    'server CPU ms/file': result.serverCpuMsPerFile,
    ...(result.statementsPerFile === undefined
      ? {}
      : { 'statements/file': result.statementsPerFile }),
    'p50 ms': percentile(result.latencies, 50),
    'p99 ms': percentile(result.latencies, 99),
    // Two cores shared with whatever else runs: read every row with the load it ran under.
    load: loadavg()[0] ?? Number.NaN,
  };
};

export const bench: Bench = {
  name: 'files: many small uploads with concurrent clients',
  run: async () => {
    const total = Number(process.env.BENCH_SMALL_FILES ?? 1000);
    const clients = Number(process.env.BENCH_CLIENTS ?? 8);
    const warmUp = Number(process.env.BENCH_WARMUP ?? 500);
    const rows: BenchRow[] = [];
    const bareDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'bare-small-'));
    const bare = await startBareUploadServer(bareDir);
    let baseline: number;
    try {
      const load: SmallUploads = {
        kind: 'small-uploads',
        url: bare.url,
        headers: {},
        total,
        clients,
        namePrefix: 'bare',
      };
      const result = await runMeasured(load);
      baseline = total / result.seconds;
      rows.push(row('bare Node server, fsync + rename', load, result));
    } finally {
      await bare.close();
      await rm(bareDir, { recursive: true, force: true });
    }
    let fsyncOff: number | undefined;
    const measureApi = async (
      label: string,
      api: BenchApp,
      statements: () => number,
      { durable = true } = {},
    ) => {
      const task: SmallUploads = {
        kind: 'small-uploads',
        url: `${api.baseUrl}/api/folders/root/files`,
        headers: api.user.headers,
        total,
        clients,
        namePrefix: 'small',
      };
      // A warm-up, so the figure is the steady state rather than the JIT's first steps: after
      // 50 uploads the server still spends ~25 % more CPU per file than after 500.
      await runClient({ ...task, total: warmUp, namePrefix: 'warm-up' });
      const result = await runMeasured(task, statements);
      rows.push(row(label, task, result, baseline, durable ? fsyncOff : undefined));
      if (!durable) fsyncOff = total / result.seconds;
    };
    // What durability costs: PGlite as it starts by default, with fsync off (a power loss may
    // drop rows whose 201 was sent). The server runs with fsync on; its row (and PostgreSQL's,
    // which syncs its WAL too) shows its rate as a ratio of this one, measured in the same run.
    for (const durable of [false, true]) {
      const dbDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'pglite-small-'));
      const counted = countingStatements(await openPGlite({ dataDir: dbDir, durable }));
      const api = await startBenchApp({ database: counted.database });
      try {
        await measureApi(
          durable ? 'API: PGlite + disk' : 'API: PGlite with fsync off (not durable) + disk',
          api,
          counted.statements,
          { durable },
        );
      } finally {
        await api.close();
        await rm(dbDir, { recursive: true, force: true });
      }
    }
    const postgres = await createBenchPostgres();
    if (!postgres) {
      rows.push({ case: 'PostgreSQL + disk: skipped, no server at BENCH_DATABASE_URL' });
      return rows;
    }
    const counted = countingStatements(postgres.handle);
    const api = await startBenchApp({ database: counted.database });
    try {
      await measureApi('API: PostgreSQL + disk', api, counted.statements);
    } finally {
      await api.close();
      await postgres.drop();
    }
    return rows;
  },
};
