import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import { loadOrCreateKeyRingFile } from '../keys/key-ring.file.js';
import { SESSION_ENDED_CLOSE_CODE } from '../modules/events/events.stream.js';
import { openEventSocket, type TestSocket } from '../modules/events/events.test-utils.js';
import { multipartBody } from '../modules/nodes/nodes.test-utils.js';
import { PER_IP } from '../modules/auth/limits/auth.limits.js';
import { createHttpBrowser, type HttpBrowser } from '../test-support/http-browser.js';
import {
  createTestBucket,
  fromSharedS3Server,
  storageUrlOf,
  type TestBucket,
} from '../test-support/s3-server.js';
import {
  buildServerCli,
  startServerInDataDir,
  waitForHttpOk,
  type ServerProcess,
} from '../test-support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { testPostgresUrl, testRedisUrl, withDatabaseName } from '../test-support/test-services.js';

/**
 * The deployment as it runs scaled out: two API processes (`serve --no-workers`) and one
 * worker process (`worker`), real child processes of the built CLI, on one PostgreSQL, one
 * Redis and one S3-compatible server, sharing nothing else (each has its own DATA_DIR; the
 * key ring is copied into each, as SECRETS_ID would hand it out).
 */
const PUBLIC_URL = 'http://localhost:3999';
const ARCHIVED_FOLDERS = 70;
const PURGED_FOLDERS = 60;
const JOB_COUNT = ARCHIVED_FOLDERS * 2 + PURGED_FOLDERS;

let database: TestDatabase;
let hotBucket: TestBucket;
let archiveBucket: TestBucket;
const workDirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
let api1: string;
let api2: string;
let worker: ServerProcess;
let owner: HttpBrowser;
let ownerId = '';
let ownerSocket: TestSocket;
const redisPrefix = `myfile-test:procs-${randomBytes(4).toString('hex')}:`;

// Each browser its own client address, so one test's rate-limit budget is not another's.
let browsers = 0;
const newBrowser = () =>
  createHttpBrowser({ origin: PUBLIC_URL, ip: `198.51.100.${(browsers += 1)}` });
const credentials = () => ({
  email: `procs-${randomBytes(6).toString('hex')}@example.com`,
  password: `correct horse ${randomBytes(6).toString('hex')}`,
});

beforeAll(async () => {
  const s3 = inject('s3TestServer');
  if (!s3) throw new Error('This test needs the S3-compatible test server (TEST_SERVICES=1).');
  const building = buildServerCli();
  [database, hotBucket, archiveBucket] = await Promise.all([
    createTestDatabase(),
    createTestBucket(fromSharedS3Server(s3)),
    createTestBucket(fromSharedS3Server(s3)),
  ]);
  const build = await building;
  cleanups.push(build.remove);

  const ringDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-procs-ring-'));
  workDirs.push(ringDir);
  await loadOrCreateKeyRingFile(ringDir);
  const shared = {
    DATABASE_URL: withDatabaseName(testPostgresUrl(), database.name),
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: redisPrefix,
    STORAGE_URL: storageUrlOf(hotBucket.config),
    ARCHIVE_STORAGE_URL: storageUrlOf(archiveBucket.config),
    PUBLIC_URL,
    // The test's browsers connect directly and name their address: one proxy hop.
    TRUST_PROXY: '1',
    LOG_LEVEL: 'info',
    // One claim takes a whole phase's jobs, so the run is not paced by the 1 s poll.
    WORKER_CONCURRENCY: '64',
  };
  const start = async (name: string, args: string[], env: Record<string, string> = {}) => {
    const started = await startServerInDataDir({
      cliPath: build.cliPath,
      name,
      args,
      env: { ...shared, ...env },
      ringDir,
      workDirs,
    });
    processes.push(started.server);
    return started;
  };
  const [first, second, background] = await Promise.all([
    start('api-1', ['serve', '--no-workers']),
    start('api-2', ['serve', '--no-workers']),
    // At debug the worker logs each job it finishes, which the exactly-once check reads.
    start('worker', ['worker'], { LOG_LEVEL: 'debug' }),
  ]);
  api1 = first.url;
  api2 = second.url;
  worker = background.server;
  await Promise.all([
    waitForHttpOk(first.server, `${api1}/readyz`),
    waitForHttpOk(second.server, `${api2}/readyz`),
    waitForHttpOk(worker, `${background.url}/healthz`),
  ]);

  owner = newBrowser();
  ownerId = (await owner.registerFresh(api1, 'procs')).userId;
  ownerSocket = await openSocket(api2, owner);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  await Promise.all(processes.map((server) => server.stop()));
  const redis = await import('ioredis').then(({ Redis }) => new Redis(testRedisUrl()));
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await Promise.all([hotBucket?.cleanup(), archiveBucket?.cleanup(), database?.close()]);
  await Promise.all(workDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

afterEach(({ task }) => {
  if (task.result?.state === 'fail') {
    console.error(processes.map((server) => server.describe()).join('\n'));
  }
});

const openSocket = async (baseUrl: string, browser: HttpBrowser) => {
  const socket = await openEventSocket(`${baseUrl.replace('http', 'ws')}/api/events`, {
    cookie: browser.cookieHeader(),
    origin: PUBLIC_URL,
  });
  sockets.push(socket);
  await socket.waitFor((message) => message.type === 'ready');
  return socket;
};

const expectStatus = async (answer: Promise<{ status: number; body: string }>, status: number) => {
  const { status: actual, body } = await answer;
  expect(actual, body).toBe(status);
  return body;
};

const eventsOfType = (socket: TestSocket, type: string) =>
  socket.messages.flatMap((message) =>
    message.type === 'event' && message.event.type === type ? [message.event] : [],
  );

const countObjects = async (bucket: TestBucket) => {
  let count = 0;
  for await (const page of paginateListObjectsV2(
    { client: bucket.client },
    { Bucket: bucket.config.bucket },
  )) {
    count += page.KeyCount ?? 0;
  }
  return count;
};

const parseLogLine = (line: string) => {
  try {
    return JSON.parse(line) as { msg?: string; jobId?: string; pid?: number };
  } catch {
    return undefined;
  }
};

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** Runs `work` over `items`, a few at a time (as a busy client would), keeping the order. */
const inParallel = async <T, R>(items: T[], work: (item: T) => Promise<R>, width = 8) => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(range(width).map(lane));
  return results;
};

/** Waits until `count` jobs named `name` have finished (or one has failed). */
const waitForJobs = async (name: string, count: number, timeoutMs = 90_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await database.db
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('name', '=', name)
      .execute();
    const failed = rows.find((row) => row.status === 'failed');
    if (failed) throw new Error(`A ${name} job failed: ${failed.last_error ?? ''}`);
    if (rows.filter((row) => row.status === 'done').length >= count) return;
    if (Date.now() > deadline) {
      throw new Error(`${name}: ${rows.length} jobs, not all ${count} done in ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

test('an upload through API 1 reaches a WebSocket client of API 2', async () => {
  const { payload, contentType } = multipartBody([{ name: 'hello.txt', content: 'hello' }]);
  await expectStatus(
    owner.request(api1, 'POST', '/api/folders/root/files', { raw: payload, contentType }),
    201,
  );
  const message = await ownerSocket.waitFor(
    (candidate) =>
      candidate.type === 'event' &&
      candidate.event.type === 'file.created' &&
      candidate.event.file.name === 'hello.txt',
  );
  expect(message.type === 'event' && message.event.userId).toBe(ownerId);
});

test(`${JOB_COUNT} archive, restore and purge jobs each run exactly once, in the worker process`, async () => {
  const apis = [api1, api2];
  const via = (index: number) => apis[index % 2] ?? api1;
  const folderIds = await inParallel(range(ARCHIVED_FOLDERS), async (index) => {
    const body = await expectStatus(
      owner.request(via(index), 'POST', '/api/folders', { json: { name: `f${index}` } }),
      201,
    );
    const folderId = (JSON.parse(body) as { id: string }).id;
    const file = multipartBody([{ name: `f${index}.txt`, content: `content ${index}` }]);
    await expectStatus(
      owner.request(via(index + 1), 'POST', `/api/folders/${folderId}/files`, {
        raw: file.payload,
        contentType: file.contentType,
      }),
      201,
    );
    return folderId;
  });
  const hotObjectsBefore = await countObjects(hotBucket);

  await Promise.all(
    folderIds.map((id, index) =>
      expectStatus(owner.request(via(index), 'POST', `/api/folders/${id}/archive`), 202),
    ),
  );
  await waitForJobs('archive.folder', ARCHIVED_FOLDERS);
  expect(await countObjects(archiveBucket)).toBe(ARCHIVED_FOLDERS);
  expect(await countObjects(hotBucket)).toBe(hotObjectsBefore - ARCHIVED_FOLDERS);

  await Promise.all(
    folderIds.map((id, index) =>
      expectStatus(
        owner.request(via(index + 1), 'POST', `/api/folders/${id}/restore`, {
          json: { tier: 'expedited' },
        }),
        202,
      ),
    ),
  );
  await waitForJobs('archive.restore-folder', ARCHIVED_FOLDERS);
  expect(await countObjects(archiveBucket)).toBe(0);
  expect(await countObjects(hotBucket)).toBe(hotObjectsBefore);

  await inParallel(range(PURGED_FOLDERS), async (index) => {
    const id = folderIds[index] ?? '';
    await expectStatus(
      owner.request(via(index), 'DELETE', `/api/folders/${id}?recursive=true`),
      204,
    );
    await expectStatus(owner.request(via(index + 1), 'DELETE', `/api/trash/${id}`), 204);
  });
  await waitForJobs('files.delete-blobs', PURGED_FOLDERS);
  expect(await countObjects(hotBucket)).toBe(hotObjectsBefore - PURGED_FOLDERS);

  // Exactly once: one attempt each, and the worker logged each job's completion once.
  const jobs = await database.db
    .selectFrom('jobs')
    .select(['id', 'name', 'status', 'attempts'])
    .where('name', 'in', ['archive.folder', 'archive.restore-folder', 'files.delete-blobs'])
    .execute();
  expect(jobs).toHaveLength(JOB_COUNT);
  expect(jobs.filter((job) => job.status !== 'done' || job.attempts !== 1)).toEqual([]);
  // The API processes run no worker (--no-workers), so every completion is in this log.
  const ids = new Set(jobs.map((job) => job.id));
  const jobsDone = () =>
    worker.stdoutLines.flatMap((line) => {
      const entry = parseLogLine(line);
      return entry?.msg === 'job done' && entry.jobId && ids.has(entry.jobId) ? [entry] : [];
    });
  // Log lines go out in batches, at the latest a quarter of a second after they were written.
  await expect.poll(() => jobsDone().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(JOB_COUNT);
  const done = jobsDone();
  expect(done).toHaveLength(JOB_COUNT);
  expect(new Set(done.map((entry) => entry.jobId)).size).toBe(JOB_COUNT);
  expect(new Set(done.map((entry) => entry.pid))).toEqual(new Set([worker.child.pid]));

  // Each folder was announced archived and back exactly once, to the client on API 2.
  const archived = eventsOfType(ownerSocket, 'folder.archived');
  const unarchived = eventsOfType(ownerSocket, 'folder.unarchived');
  const folderOf = (event: (typeof archived)[number]) =>
    'folder' in event ? event.folder.id : undefined;
  expect(archived.map(folderOf).sort()).toEqual([...folderIds].sort());
  expect(unarchived.map(folderOf).sort()).toEqual([...folderIds].sort());
}, 240_000);

test('the sign-in rate limit is one counter across both API processes', async () => {
  const attacker = newBrowser();
  const wrong = { email: credentials().email, password: 'not the password 123' };
  const half = PER_IP.login.max / 2;
  for (const api of [api1, api2]) {
    for (let attempt = 0; attempt < half; attempt++) {
      expect((await attacker.signIn(api, 'login', wrong)).status).toBe(401);
    }
  }
  // Each process alone has seen only half the limit; together they have seen all of it.
  const refused = await attacker.signIn(api1, 'login', wrong);
  expect(refused.status, refused.body).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await attacker.signIn(api2, 'login', wrong)).status).toBe(429);
  // Another client address has its own budget.
  expect((await newBrowser().signIn(api2, 'login', wrong)).status).toBe(401);
});

test('a session revoked through API 1 is refused by API 2, and its socket there is closed', async () => {
  const account = credentials();
  const laptop = newBrowser();
  expect((await laptop.signIn(api1, 'register', account)).status).toBe(201);
  const phone = newBrowser();
  expect((await phone.signIn(api2, 'login', account)).status).toBe(200);
  const phoneSocket = await openSocket(api2, phone);
  // API 2 has now seen (and may cache) the phone's session as alive.
  await expectStatus(phone.request(api2, 'GET', '/api/auth/me'), 200);

  const listed = await laptop.request(api1, 'GET', '/api/auth/sessions');
  const { sessions } = listed.json() as { sessions: { id: string; current: boolean }[] };
  const phoneSession = sessions.find((session) => !session.current);
  if (!phoneSession) throw new Error(`no other session listed: ${listed.body}`);
  await expectStatus(laptop.request(api1, 'DELETE', `/api/auth/sessions/${phoneSession.id}`), 204);

  const refused = await phone.request(api2, 'GET', '/api/auth/me');
  expect(refused.status).toBe(401);
  expect((refused.json() as { error: { code: string } }).error.code).toBe('unauthenticated');
  expect((await phoneSocket.closed).code).toBe(SESSION_ENDED_CLOSE_CODE);
  await expectStatus(laptop.request(api2, 'GET', '/api/auth/me'), 200);
});
