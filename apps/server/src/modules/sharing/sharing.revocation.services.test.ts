import {
  LINK_ENDED_CLOSE_CODE,
  type CreatedLinkDto,
  type NodeDto,
  type ShareDto,
} from '@myfile/contract';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { loadOrCreateKeyRingFile } from '../../keys/key-ring.file.js';
import { createHttpBrowser, type HttpBrowser } from '../../test-support/http-browser.js';
import {
  buildServerCli,
  startServerInDataDir,
  waitForHttpOk,
  type ServerProcess,
} from '../../test-support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import {
  testPostgresUrl,
  testRedisUrl,
  withDatabaseName,
} from '../../test-support/test-services.js';
import { openEventSocket, type TestSocket } from '../events/events.test-utils.js';
import type { ServerMessage } from '../events/events.stream.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';

/**
 * Revocation reaching another instance: two real API processes (`serve --no-workers`) of the
 * built CLI on one PostgreSQL and one Redis, nothing else shared but the blob directory and the
 * key ring. The owner works through process A; the sharee and a link's visitor are on process B.
 */
const PUBLIC_URL = 'http://localhost:3997';

let database: TestDatabase;
const workDirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
const linkSockets: WebSocket[] = [];
let apiA: string;
let apiB: string;
const redisPrefix = `myfile-test:revoke-${randomBytes(4).toString('hex')}:`;

let browsers = 0;
const newBrowser = () =>
  createHttpBrowser({ origin: PUBLIC_URL, ip: `203.0.113.${(browsers += 1)}` });
const register = (browser: HttpBrowser, baseUrl: string) =>
  browser.registerFresh(baseUrl, 'revoke');

beforeAll(async () => {
  const building = buildServerCli();
  database = await createTestDatabase();
  const build = await building;
  cleanups.push(build.remove);
  const ringDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-revoke-ring-'));
  const blobDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-revoke-blobs-'));
  workDirs.push(ringDir, blobDir);
  await loadOrCreateKeyRingFile(ringDir);
  const env = {
    DATABASE_URL: withDatabaseName(testPostgresUrl(), database.name),
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: redisPrefix,
    STORAGE_URL: pathToFileURL(path.join(blobDir, 'hot')).toString(),
    ARCHIVE_STORAGE_URL: pathToFileURL(path.join(blobDir, 'cold')).toString(),
    PUBLIC_URL,
    TRUST_PROXY: '1',
    LOG_LEVEL: 'info',
  };
  const start = async (name: string) => {
    const started = await startServerInDataDir({
      cliPath: build.cliPath,
      name,
      args: ['serve', '--no-workers'],
      env,
      ringDir,
      workDirs,
    });
    processes.push(started.server);
    return started;
  };
  const [a, b] = await Promise.all([start('api-a'), start('api-b')]);
  apiA = a.url;
  apiB = b.url;
  await Promise.all([
    waitForHttpOk(a.server, `${apiA}/readyz`, 60_000),
    waitForHttpOk(b.server, `${apiB}/readyz`, 60_000),
  ]);
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.socket.terminate();
  for (const socket of linkSockets) socket.terminate();
  await Promise.all(processes.map((server) => server.stop()));
  const redis = await import('ioredis').then(({ Redis }) => new Redis(testRedisUrl()));
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await database?.close();
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

/** A share link's event socket, as the link page opens it (the token is the credential). */
const openLinkSocket = async (baseUrl: string, token: string) => {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/s/${token}/events`, {
    headers: { origin: PUBLIC_URL },
  });
  const raw: string[] = [];
  socket.on('message', (data: Buffer) => raw.push(data.toString()));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  linkSockets.push(socket);
  await waitUntil(() => raw.some((text) => text.includes('"ready"')));
  return { raw, closed };
};

const waitUntil = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const uploadNamed = (name: string) => {
  const { payload, contentType } = multipartBody([{ name, content: `bytes of ${name}` }]);
  return { raw: Buffer.from(payload), contentType };
};

const fileCreated = (name: string) => (message: ServerMessage) =>
  message.type === 'event' &&
  message.event.type === 'file.created' &&
  message.event.file.name === name;

test("a share and a link revoked on process A are refused by process B at once; the sharee's socket on B is cut off and the link visitor's closed", async () => {
  const owner = newBrowser();
  const sharee = newBrowser();
  const visitor = newBrowser();
  await register(owner, apiA);
  const shareeAccount = await register(sharee, apiB);

  const made = await owner.request(apiA, 'POST', '/api/folders', { json: { name: 'Team' } });
  expect(made.status, made.body).toBe(201);
  const team = made.json() as NodeDto;
  const first = await owner.request(
    apiA,
    'POST',
    `/api/folders/${team.id}/files`,
    uploadNamed('a.txt'),
  );
  expect(first.status, first.body).toBe(201);
  const shared = await owner.request(apiA, 'POST', `/api/nodes/${team.id}/shares`, {
    json: { email: shareeAccount.email, role: 'editor' },
  });
  expect(shared.status, shared.body).toBe(201);
  const share = shared.json() as ShareDto;
  const linked = await owner.request(apiA, 'POST', `/api/nodes/${team.id}/links`, {
    json: { role: 'viewer' },
  });
  expect(linked.status, linked.body).toBe(201);
  const link = linked.json() as CreatedLinkDto;

  // Before: the sharee and the visitor are served by B, and B's socket gets A's changes.
  const shareeSocket = await openSocket(apiB, sharee);
  const ownerSocket = await openSocket(apiB, owner);
  const visitorSocket = await openLinkSocket(apiB, link.token);
  const children = `/api/folders/${team.id}/children`;
  const linkChildren = `/api/s/${link.token}/folders/${team.id}/children`;
  expect((await sharee.request(apiB, 'GET', children)).status).toBe(200);
  expect((await visitor.request(apiB, 'GET', linkChildren)).status).toBe(200);
  await owner.request(apiA, 'POST', `/api/folders/${team.id}/files`, uploadNamed('before.txt'));
  await shareeSocket.waitFor(fileCreated('before.txt'), 10_000);
  await waitUntil(() => visitorSocket.raw.some((text) => text.includes('"before.txt"')));
  expect(visitorSocket.raw.join('\n')).toContain('"node.added"');

  // Revoked on A; the very next requests on B are refused.
  const revokedShare = await owner.request(apiA, 'DELETE', `/api/shares/${share.id}`);
  expect(revokedShare.status, revokedShare.body).toBeLessThan(300);
  const revokedLink = await owner.request(apiA, 'DELETE', `/api/links/${link.id}`);
  expect(revokedLink.status, revokedLink.body).toBe(200);
  const afterShare = await sharee.request(apiB, 'GET', children);
  expect(afterShare.status, afterShare.body).toBe(404);
  const firstFile = (first.json() as { files: NodeDto[] }).files[0];
  const content = await sharee.request(apiB, 'GET', `/api/files/${firstFile?.id ?? ''}/content`);
  expect(content.status).toBe(404);
  // The visitor's socket on B is closed as the link ends.
  expect(await visitorSocket.closed).toBe(LINK_ENDED_CLOSE_CODE);
  const afterLink = await visitor.request(apiB, 'GET', linkChildren);
  expect(afterLink.status, afterLink.body).toBe(410);
  expect(afterLink.json()).toMatchObject({ error: { code: 'link_expired' } });

  // The sharee's socket on B is told, then hears nothing more from the folder: the owner's own
  // socket on B receives the next upload, the sharee's does not.
  await shareeSocket.waitFor(
    (message) =>
      message.type === 'event' &&
      message.event.type === 'share.changed' &&
      message.event.change === 'revoked' &&
      message.event.node.id === team.id,
    10_000,
  );
  await owner.request(apiA, 'POST', `/api/folders/${team.id}/files`, uploadNamed('after.txt'));
  await ownerSocket.waitFor(fileCreated('after.txt'), 10_000);
  // Fan-out is per recipient, in order: a later marker to the owner proves the sharee's copy,
  // had there been one, was published before it.
  await owner.request(apiA, 'POST', '/api/folders', { json: { name: 'marker' } });
  await ownerSocket.waitFor(
    (message) =>
      message.type === 'event' &&
      message.event.type === 'folder.created' &&
      message.event.folder.name === 'marker',
    10_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(shareeSocket.messages.some(fileCreated('after.txt'))).toBe(false);
});
