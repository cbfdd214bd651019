import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bench, BenchRow } from './bench.types.js';
import type { ClientTask } from './client.process.js';
import { openPGlite } from '../apps/server/src/db/pglite.open.js';
import {
  onEachBenchDatabase,
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

/** The client's figures, and the CPU time this (the server's) process spent per file. */
const runMeasured = async (task: SmallUploads) => {
  const cpuBefore = process.cpuUsage();
  const result = await runClient(task);
  const cpu = process.cpuUsage(cpuBefore);
  return { ...result, serverCpuMsPerFile: (cpu.user + cpu.system) / 1000 / task.total };
};

const row = (
  label: string,
  task: SmallUploads,
  result: Awaited<ReturnType<typeof runMeasured>>,
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
    'p50 ms': percentile(result.latencies, 50),
    'p99 ms': percentile(result.latencies, 99),
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
    const measureApi = async (label: string, api: BenchApp, { durable = true } = {}) => {
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
      const result = await runMeasured(task);
      rows.push(row(label, task, result, baseline, durable ? fsyncOff : undefined));
      if (!durable) fsyncOff = total / result.seconds;
    };
    // What durability costs: PGlite as it starts by default, with fsync off (a power loss may
    // drop rows whose 201 was sent). The server runs with fsync on; its row (and PostgreSQL's,
    // which syncs its WAL too) shows its rate as a ratio of this one, measured in the same run.
    const unsyncedDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'pglite-nosync-'));
    const unsynced = await startBenchApp({
      database: await openPGlite({ dataDir: unsyncedDir, durable: false }),
    });
    try {
      await measureApi('API: PGlite with fsync off (not durable) + disk', unsynced, {
        durable: false,
      });
    } finally {
      await unsynced.close();
      await rm(unsyncedDir, { recursive: true, force: true });
    }
    const reachedPostgres = await onEachBenchDatabase((database, app) =>
      measureApi(`API: ${database} + disk`, app),
    );
    if (!reachedPostgres)
      rows.push({ case: 'PostgreSQL + disk: skipped, no server at BENCH_DATABASE_URL' });
    return rows;
  },
};
