import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import { loadOrCreateKeyRingFile } from '../keys/key-ring.file.js';
import { multipartBody } from '../modules/nodes/nodes.test-utils.js';
import { createHttpBrowser, type HttpBrowser } from '../test-support/http-browser.js';
import {
  createTestBucket,
  fromSharedS3Server,
  getFreePort,
  storageUrlOf,
  type TestBucket,
} from '../test-support/s3-server.js';
import {
  buildServerCli,
  startServerProcess,
  waitForHttpOk,
  type ServerProcess,
} from '../test-support/server-process.js';
import { startTcpProxy, type LinkMode, type TcpProxy } from '../test-support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import {
  adminQuery,
  testPostgresUrl,
  testRedisUrl,
  withDatabaseName,
} from '../test-support/test-services.js';

/**
 * A real server process (API and workers) whose links to PostgreSQL, Redis and S3 each run
 * through a TCP proxy the test controls. Every fault must leave the process running, answer
 * 503 (or succeed) while it lasts, and heal within 5 s after it ends.
 */
const PUBLIC_URL = 'http://localhost:3998';
const RECOVERY_LIMIT_MS = 5_000;

let database: TestDatabase;
let bucket: TestBucket;
let server: ServerProcess;
let baseUrl: string;
let user: HttpBrowser;
const proxies: Record<'postgres' | 'redis' | 's3', TcpProxy | undefined> = {
  postgres: undefined,
  redis: undefined,
  s3: undefined,
};
const cleanups: (() => Promise<void>)[] = [];
const figures: string[] = [];
const redisPrefix = `myfile-test:faults-${randomBytes(4).toString('hex')}:`;

const proxyOf = (name: keyof typeof proxies) => {
  const proxy = proxies[name];
  if (!proxy) throw new Error(`no ${name} proxy`);
  return proxy;
};

beforeAll(async () => {
  const s3 = inject('s3TestServer');
  if (!s3?.endpoint) throw new Error('This test needs the S3-compatible test server.');
  const building = buildServerCli();
  [database, bucket] = await Promise.all([
    createTestDatabase(),
    createTestBucket(fromSharedS3Server(s3)),
  ]);
  const build = await building;
  cleanups.push(build.remove);
  const s3Endpoint = new URL(s3.endpoint);
  const postgres = new URL(testPostgresUrl());
  const redis = new URL(testRedisUrl());
  proxies.postgres = await startTcpProxy({
    targetHost: postgres.hostname,
    targetPort: Number(postgres.port || 5432),
  });
  proxies.redis = await startTcpProxy({
    targetHost: redis.hostname,
    targetPort: Number(redis.port || 6379),
  });
  proxies.s3 = await startTcpProxy({
    targetHost: s3Endpoint.hostname,
    targetPort: Number(s3Endpoint.port),
  });
  const via = (url: URL, proxy: TcpProxy) => {
    const copy = new URL(url);
    copy.hostname = '127.0.0.1';
    copy.port = String(proxy.port);
    return copy;
  };
  const storageUrl = new URL(
    storageUrlOf({ ...bucket.config, endpoint: via(s3Endpoint, proxies.s3).origin }),
  );
  storageUrl.searchParams.set('socketTimeoutMs', '3000');

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-faults-'));
  cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  await loadOrCreateKeyRingFile(dataDir);
  const port = await getFreePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = startServerProcess({
    cliPath: build.cliPath,
    name: 'server',
    args: ['serve'],
    cwd: dataDir,
    env: {
      DATABASE_URL: via(
        new URL(withDatabaseName(testPostgresUrl(), database.name)),
        proxies.postgres,
      ).toString(),
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      REDIS_URL: via(redis, proxies.redis).toString(),
      REDIS_KEY_PREFIX: redisPrefix,
      STORAGE_URL: storageUrl.toString(),
      PUBLIC_URL,
      TRUST_PROXY: '1',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  });
  await waitForHttpOk(server, `${baseUrl}/readyz`);
  user = createHttpBrowser({ origin: PUBLIC_URL, ip: '198.51.100.77' });
  await user.registerFresh(baseUrl, 'faults');
}, 180_000);

afterAll(async () => {
  console.log(`network faults:\n${figures.join('\n')}`);
  await server?.stop();
  for (const proxy of Object.values(proxies)) await proxy?.close();
  const redis = await import('ioredis').then(({ Redis }) => new Redis(testRedisUrl()));
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await Promise.all([bucket?.cleanup(), database?.close()]);
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

afterEach(({ task }) => {
  if (task.result?.state === 'fail') console.error(server.describe());
});

/** Status of one request, or 0 when the connection failed or it hung past 20 s. */
const statusOf = async (work: () => Promise<{ status: number }>) => {
  try {
    const answer = await Promise.race([work(), sleep(20_000).then(() => ({ status: 0 }))]);
    return answer.status;
  } catch {
    return 0;
  }
};

const listRoot = () => statusOf(() => user.request(baseUrl, 'GET', '/api/folders/root/children'));
const upload = () => {
  const { payload, contentType } = multipartBody([
    { name: `f-${randomBytes(4).toString('hex')}.bin`, content: randomBytes(64 * 1024) },
  ]);
  return statusOf(() =>
    user.request(baseUrl, 'POST', '/api/folders/root/files', {
      raw: payload,
      contentType,
    }),
  );
};
const usage = () => statusOf(() => user.request(baseUrl, 'GET', '/api/usage'));
const ready = () => statusOf(() => fetch(`${baseUrl}/readyz`));

const ACCEPTABLE_DURING_FAULT = new Set([200, 201, 503]);

/**
 * Holds `mode` on `proxy` for `holdMs` while `probes` run over and over, then restores the
 * link and measures how long until every probe and /readyz succeed again.
 */
const runFault = async ({
  name,
  proxy,
  mode,
  holdMs,
  probes,
  delayMs,
  strandOpen = false,
}: {
  name: string;
  proxy: TcpProxy;
  mode: LinkMode;
  holdMs: number;
  probes: (() => Promise<number>)[];
  delayMs?: number;
  /** The connections open during the fault never carry a byte again (see the proxy). */
  strandOpen?: boolean;
}) => {
  await proxy.setMode(mode, delayMs === undefined ? {} : { delayMs });
  const seen: number[] = [];
  const until = Date.now() + holdMs;
  while (Date.now() < until) {
    seen.push(...(await Promise.all(probes.map((probe) => probe()))));
    await sleep(200);
  }
  await proxy.setMode('pass', { strandOpen });
  const healedAt = Date.now();
  let recoveredMs = -1;
  while (Date.now() - healedAt < RECOVERY_LIMIT_MS + 10_000) {
    const statuses = await Promise.all([...probes, ready].map((probe) => probe()));
    if (statuses.every((status) => status >= 200 && status < 300)) {
      recoveredMs = Date.now() - healedAt;
      break;
    }
    await sleep(100);
  }
  const count503 = seen.filter((status) => status === 503).length;
  figures.push(
    `  ${name}: ${seen.length} requests during the fault (${count503} × 503, others ${[...new Set(seen.filter((status) => status !== 503))].join(',') || '-'}), recovered in ${(recoveredMs / 1000).toFixed(2)} s`,
  );
  expect(server.child.exitCode, server.describe()).toBeNull();
  expect(seen.filter((status) => !ACCEPTABLE_DURING_FAULT.has(status))).toEqual([]);
  expect(recoveredMs).toBeGreaterThanOrEqual(0);
  expect(recoveredMs).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
  return { seen, recoveredMs };
};

test('a healthy link answers', async () => {
  expect(await listRoot()).toBe(200);
  expect(await upload()).toBe(201);
});

test('PostgreSQL connections terminated under load: 503 for those requests, the pool heals', async () => {
  const appBackends = `select pg_terminate_backend(pid) from pg_stat_activity
    where datname = '${database.name}' and application_name = 'myfile' and pid <> pg_backend_pid()`;
  const statuses: number[] = [];
  const load = (async () => {
    for (let round = 0; round < 12; round += 1) {
      statuses.push(...(await Promise.all([listRoot(), upload(), listRoot(), usage()])));
    }
  })();
  for (let kill = 0; kill < 6; kill += 1) {
    await sleep(150);
    await adminQuery(appBackends);
  }
  await load;
  expect(server.child.exitCode, server.describe()).toBeNull();
  expect(statuses.filter((status) => !ACCEPTABLE_DURING_FAULT.has(status))).toEqual([]);
  const healedAt = Date.now();
  await expect.poll(listRoot, { timeout: RECOVERY_LIMIT_MS }).toBe(200);
  figures.push(
    `  postgres pg_terminate_backend ×6 under load: ${statuses.length} requests (${statuses.filter((status) => status === 503).length} × 503), recovered in ${((Date.now() - healedAt) / 1000).toFixed(2)} s`,
  );
  expect(await upload()).toBe(201);
});

test.each<[LinkMode, number]>([
  ['reset', 3_000],
  ['refuse', 3_000],
  ['blackhole', 8_000],
])('PostgreSQL link %s for %i ms', async (mode, holdMs) => {
  const { seen } = await runFault({
    name: `postgres ${mode} ${holdMs / 1000} s`,
    proxy: proxyOf('postgres'),
    mode,
    holdMs,
    probes: [listRoot, upload],
  });
  expect(seen).toContain(503);
});

test('PostgreSQL connections left silently dead by an 8 s black hole are replaced', async () => {
  // Warm the pool so that most of its connections are among those the hole strands.
  await Promise.all([listRoot(), listRoot(), upload(), upload(), usage()]);
  await runFault({
    name: 'postgres blackhole 8 s, open connections stranded after it',
    proxy: proxyOf('postgres'),
    mode: 'blackhole',
    holdMs: 8_000,
    probes: [listRoot, upload],
    strandOpen: true,
  });
});

test('a slow PostgreSQL link slows requests but fails none', async () => {
  const { seen } = await runFault({
    name: 'postgres slow (50 ms a chunk) 3 s',
    proxy: proxyOf('postgres'),
    mode: 'slow',
    delayMs: 50,
    holdMs: 3_000,
    probes: [listRoot],
  });
  expect(seen.every((status) => status === 200)).toBe(true);
});

test.each<[LinkMode, number]>([
  ['reset', 3_000],
  ['blackhole', 8_000],
])('Redis link %s for %i ms', async (mode, holdMs) => {
  await runFault({
    name: `redis ${mode} ${holdMs / 1000} s`,
    proxy: proxyOf('redis'),
    mode,
    holdMs,
    probes: [listRoot, usage],
  });
});

test.each<[LinkMode, number]>([
  ['reset', 3_000],
  ['refuse', 3_000],
  ['blackhole', 8_000],
])('S3 link %s for %i ms', async (mode, holdMs) => {
  const { seen } = await runFault({
    name: `s3 ${mode} ${holdMs / 1000} s`,
    proxy: proxyOf('s3'),
    mode,
    holdMs,
    probes: [upload],
  });
  expect(seen).toContain(503);
});

test('after every fault the job queue still runs: a folder archives', async () => {
  const created = await user.request(baseUrl, 'POST', '/api/folders', {
    json: { name: `after-faults-${randomBytes(3).toString('hex')}` },
  });
  expect(created.status, created.body).toBe(201);
  const folderId = (created.json() as { id: string }).id;
  const archived = await user.request(baseUrl, 'POST', `/api/folders/${folderId}/archive`);
  expect(archived.status, archived.body).toBe(202);
  const jobId = (archived.json() as { job: { id: string } }).job.id;
  await expect
    .poll(
      async () =>
        (
          (await user.request(baseUrl, 'GET', `/api/jobs/${jobId}`)).json() as {
            job: { status: string };
          }
        ).job.status,
      { timeout: 20_000 },
    )
    .toBe('done');
});
