import { spawn } from 'node:child_process';
import { cp, readFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { PGLITE_V8_FLAGS, pgliteSharedBuffersMb } from '../apps/server/src/db/database.js';
import { getFreePort } from '../apps/server/src/test-support/s3-server.js';
import {
  buildServerCli,
  startServerProcess,
  waitForHttpOk,
  type ServerProcess,
} from '../apps/server/src/test-support/server-process.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB } from './bench.utils.js';

/** Time for the start's own garbage to be collected before "idle" is read. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);
const LOAD_FILES = Number(process.env.BENCH_FILES ?? 200);
const CLIENTS = 8;
/**
 * What the image (and `npm start`) runs the server with; BENCH_SERVER_NODE_OPTIONS='' measures
 * V8's defaults.
 */
const SERVER_NODE_OPTIONS = process.env.BENCH_SERVER_NODE_OPTIONS ?? '--max-semi-space-size=4';

const rssOf = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kib) throw new Error(`No VmRSS for pid ${pid}.`);
  return (Number(kib) * 1024) / MiB;
};

type MemoryLine = {
  msg?: string;
  reason?: string;
  memory?: {
    heapUsed: number;
    external: number;
    arrayBuffers: number;
    database: { wasmBytes?: number; contextBytes?: number; sharedBuffersBytes?: number };
  };
};

/**
 * CPU seconds the process has used (user + system), from /proc/<pid>/stat in clock ticks
 * (100 a second on Linux). On a busy machine the wall time to /healthz is mostly waiting for a
 * core; the CPU time is what the start itself costs.
 */
const cpuSecondsOf = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** The server's own breakdown: SIGUSR2 has it log one `memory` line. */
const memoryBreakdown = async (server: ServerProcess): Promise<BenchRow> => {
  const before = server.stdoutLines.length;
  server.child.kill('SIGUSR2');
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const line of server.stdoutLines.slice(before)) {
      const parsed = JSON.parse(line) as MemoryLine;
      if (parsed.msg === 'memory' && parsed.reason === 'SIGUSR2' && parsed.memory) {
        const { heapUsed, external, arrayBuffers, database } = parsed.memory;
        const mib = (bytes: number | undefined) => (bytes === undefined ? '' : bytes / MiB);
        return {
          'heap used MiB': mib(heapUsed),
          'external MiB': mib(external),
          'array buffers MiB': mib(arrayBuffers),
          'PGlite wasm MiB': mib(database.wasmBytes),
          'PG contexts MiB': mib(database.contextBytes),
          'shared_buffers MiB': mib(database.sharedBuffersBytes),
        };
      }
    }
    await sleep(100);
  }
  return {};
};

/** A plain `node` doing nothing: the floor every Node process pays. */
const bareNodeRss = async () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    stdio: 'ignore',
  });
  await sleep(500);
  const rss = await rssOf(child.pid ?? 0);
  child.kill();
  return rss;
};

/**
 * A plain `node` that only opens the embedded database (a copy of the build's template, with the
 * server's shared_buffers, extension and V8 flags) and runs one query: what PGlite itself costs,
 * below which no server on it can go.
 */
const PGLITE_ALONE = `
const [pgliteUrl, trgmUrl, dataDir, buffers] = process.argv.slice(1);
const { PGlite } = await import(pgliteUrl);
const { pg_trgm } = await import(trgmUrl);
const db = await PGlite.create({
  dataDir,
  extensions: { pg_trgm },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=' + buffers + 'MB'],
});
await db.query('select count(*) from users');
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

const pgliteAloneRss = async (templateDataDir: string, workDir: string) => {
  const dataDir = join(workDir, 'pglite-alone');
  await cp(templateDataDir, dataDir, { recursive: true });
  const resolve = (name: string) =>
    pathToFileURL(createRequire(import.meta.url).resolve(name)).href;
  const child = spawn(
    process.execPath,
    [
      PGLITE_V8_FLAGS,
      '--input-type=module',
      '-e',
      PGLITE_ALONE,
      resolve('@electric-sql/pglite'),
      resolve('@electric-sql/pglite/contrib/pg_trgm'),
      dataDir,
      String(pgliteSharedBuffersMb()),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolveReady, reject) => {
      child.stdout.once('data', () => resolveReady());
      child.once('exit', (code) => reject(new Error(`PGlite alone exited (${String(code)})`)));
    });
    await sleep(SETTLE_MS);
    return await rssOf(child.pid ?? 0);
  } finally {
    child.kill();
  }
};

const cookieJar = () => {
  const jar = new Map<string, string>();
  return {
    take: (response: Response) => {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    },
    header: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
  };
};

/** One account, then small uploads, listings and downloads from 8 clients at once. */
const applyLoad = async (baseUrl: string) => {
  const jar = cookieJar();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  jar.take(csrf);
  const { csrfToken: preToken } = (await csrf.json()) as { csrfToken: string };
  const registered = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header(), 'x-csrf-token': preToken },
    body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery' }),
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  jar.take(registered);
  const { csrfToken } = (await registered.json()) as { csrfToken: string };
  const headers = { cookie: jar.header(), 'x-csrf-token': csrfToken };
  const body = new Blob([Buffer.alloc(4096, 7)]);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < LOAD_FILES) {
        const index = next++;
        const form = new FormData();
        form.append('file', body, `file-${index}.bin`);
        const uploaded = await fetch(`${baseUrl}/api/folders/root/files`, {
          method: 'POST',
          headers,
          body: form,
        });
        if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status}`);
        const file = (await uploaded.json()) as { id: string };
        ids.push(file.id);
        const listing = await fetch(`${baseUrl}/api/folders/root/children?limit=50`, { headers });
        await listing.arrayBuffer();
        const download = await fetch(`${baseUrl}/api/files/${file.id}/content`, { headers });
        await download.arrayBuffer();
      }
    }),
  );
  return ids.length;
};

type Mode = { name: string; env: Record<string, string>; targetIdleMiB: number };

export const bench: Bench = {
  name: 'memory: embedded idle (server process RSS, first start, restart, after load; PostgreSQL mode)',
  run: async () => {
    const build = await buildServerCli({ pgliteTemplate: true });
    const rows: BenchRow[] = [];
    const floor = await bareNodeRss();
    rows.push({ case: 'bare node (idle)', 'RSS MiB': floor, 'x bare node': 1 });
    const dataDirs: string[] = [];
    const aloneDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'memory-bench-'));
    dataDirs.push(aloneDir);
    const alone = await pgliteAloneRss(
      join(dirname(build.cliPath), 'pglite-template', 'db'),
      aloneDir,
    );
    rows.push({
      case: 'node + PGlite open, no app (idle)',
      'RSS MiB': alone,
      'x bare node': alone / floor,
      'load 1m': loadavg()[0] ?? 0,
    });
    const databases: string[] = [];
    const adminUrl =
      process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    const postgresUrl = await admin.connect().then(
      async () => {
        const name = `myfile_bench_mem_${Date.now().toString(36)}`;
        await admin.query(`create database ${name}`);
        databases.push(name);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        return url.toString();
      },
      () => undefined,
    );
    const modes: Mode[] = [
      { name: 'PGlite + disk', env: {}, targetIdleMiB: 200 },
      ...(postgresUrl
        ? [{ name: 'PostgreSQL + disk', env: { DATABASE_URL: postgresUrl }, targetIdleMiB: 120 }]
        : []),
    ];
    if (!postgresUrl) rows.push({ case: 'PostgreSQL mode: no server at BENCH_DATABASE_URL' });
    try {
      for (const mode of modes) {
        const dataDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'memory-bench-'));
        dataDirs.push(dataDir);
        const port = await getFreePort();
        const baseUrl = `http://127.0.0.1:${port}`;
        const start = async (phase: string) => {
          const started = Date.now();
          const server = startServerProcess({
            cliPath: build.cliPath,
            name: `${mode.name} ${phase}`,
            args: ['serve'],
            // As `npm start` and the image run it: Node 26 takes this flag only from here.
            nodeArgs: [PGLITE_V8_FLAGS],
            cwd: dataDir,
            env: {
              ...mode.env,
              DATA_DIR: dataDir,
              HOST: '127.0.0.1',
              PORT: String(port),
              LOG_LEVEL: 'info',
              ...(SERVER_NODE_OPTIONS ? { NODE_OPTIONS: SERVER_NODE_OPTIONS } : {}),
              ...(process.env.MALLOC_ARENA_MAX
                ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX }
                : {}),
            },
          });
          await waitForHttpOk(server, `${baseUrl}/healthz`, 180_000);
          return {
            server,
            seconds: (Date.now() - started) / 1000,
            cpuSeconds: await cpuSecondsOf(server.child.pid ?? 0),
          };
        };
        const sample = async (
          server: ServerProcess,
          name: string,
          target: number,
          extra: BenchRow = {},
        ) => {
          await sleep(SETTLE_MS);
          const rss = await rssOf(server.child.pid ?? 0);
          rows.push({
            case: `${mode.name}: ${name}`,
            'node options': SERVER_NODE_OPTIONS,
            ...extra,
            'RSS MiB': rss,
            'target MiB': target,
            'x bare node': rss / floor,
            ...(await memoryBreakdown(server)),
            'load 1m': loadavg()[0] ?? 0,
          });
        };
        const first = await start('first start');
        try {
          await sample(first.server, 'idle after first start', mode.targetIdleMiB, {
            's to /healthz': first.seconds,
            'CPU s to /healthz': first.cpuSeconds,
          });
        } finally {
          await first.server.stop();
        }
        const second = await start('restart');
        try {
          await sample(second.server, 'idle after restart', mode.targetIdleMiB, {
            's to /healthz': second.seconds,
            'CPU s to /healthz': second.cpuSeconds,
          });
          const files = await applyLoad(baseUrl);
          await sample(second.server, `idle after load (${files} uploads)`, 300);
        } finally {
          await second.server.stop();
        }
      }
    } finally {
      await build.remove();
      for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
      for (const name of databases) await admin.query(`drop database ${name} with (force)`);
      await admin.end().catch(() => undefined);
    }
    return rows;
  },
};
