import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFsBlobStorage } from '../../blob-storage/drivers/fs/fs.blob-storage.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import {
  accelRedirectLocation,
  findNginx,
  startNginx,
  type Nginx,
} from '../../test-support/nginx.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';

/**
 * Downloads through a real nginx in front of the app with DOWNLOAD_ACCEL_REDIRECT on (nginx
 * from Debian, which .ci/run installs): nginx sends the bytes, the app decides who gets them
 * and every header, and the internal location cannot be reached from outside.
 */
const PREFIX = '/internal-blobs/';

let dir: string;
let testApp: TestApp;
let nginx: Nginx;
let owner: FixtureUser;
let stranger: FixtureUser;
let file: NodeDto;
let page: NodeDto;
let notes: NodeDto;
const content = randomBytes(3 * 1024 * 1024 + 17);

beforeAll(async () => {
  const binary = findNginx();
  if (!binary) {
    throw new Error(
      'These tests need nginx (apt-get install -y nginx-light); .ci/run installs it.',
    );
  }
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-accel-'));
  const root = path.join(dir, 'blobs');
  testApp = await createTestApp({
    env: { STORAGE_URL: `file://${root}`, DOWNLOAD_ACCEL_REDIRECT: PREFIX },
    blobStorage: createFsBlobStorage({ root }),
  });
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  nginx = await startNginx({
    binary,
    dir,
    locations: `
    location / { proxy_pass http://127.0.0.1:${address.port}; }
    ${accelRedirectLocation({ prefix: PREFIX, root })}`,
  });
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  stranger = await fixtures.newUser();
  file = await fixtures.newFile(owner, { name: 'report "final".bin', content });
  page = await fixtures.newFile(owner, { name: 'page.html', content: '<script>alert(1)</script>' });
  notes = await fixtures.newFile(owner, { name: 'notes.txt', content: 'plain words' });
});
afterAll(async () => {
  await nginx?.close();
  await testApp?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const download = (
  id: string,
  user: FixtureUser,
  headers: Record<string, string> = {},
  query = '',
) =>
  fetch(`${nginx.origin}/api/files/${id}/content${query}`, {
    headers: { ...user.headers, ...headers },
  });

test('nginx sends the whole file with the headers the app decided', async () => {
  const response = await download(file.id, owner);
  const body = Buffer.from(await response.arrayBuffer());
  expect(response.status, await nginx.errorLog()).toBe(200);
  expect(body.equals(content)).toBe(true);
  expect(Object.fromEntries(response.headers)).toMatchObject({
    'content-length': String(content.length),
    'content-type': 'application/octet-stream',
    etag: `"${createHash('sha256').update(content).digest('hex')}"`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-cache',
  });
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
  expect(response.headers.get('x-accel-redirect')).toBeNull();
  expect(response.headers.get('last-modified')).toBeNull();
});

test('the app’s type and disposition survive: HTML stays bytes, plain text may show inline', async () => {
  const html = await download(page.id, owner, {}, '?inline=1');
  expect(await html.text()).toBe('<script>alert(1)</script>');
  expect(html.headers.get('content-type')).toBe('application/octet-stream');
  expect(html.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  expect(html.headers.get('x-content-type-options')).toBe('nosniff');
  const text = await download(notes.id, owner, {}, '?inline=1');
  expect(await text.text()).toBe('plain words');
  expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(text.headers.get('content-disposition')).toMatch(/^inline;/);
  expect(text.headers.get('content-security-policy')).toBe('sandbox');
});

test('a range is answered by the app (206) through the proxy; If-None-Match by the app (304)', async () => {
  const ranged = await download(file.id, owner, { range: 'bytes=100-199' });
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${content.length}`);
  expect(Buffer.from(await ranged.arrayBuffer()).equals(content.subarray(100, 200))).toBe(true);
  const etag = ranged.headers.get('etag') ?? '';
  const cached = await download(file.id, owner, { 'if-none-match': etag });
  expect(cached.status).toBe(304);
  // A stale If-Range gets the whole file, which nginx must not cut to the range.
  const stale = await download(file.id, owner, { range: 'bytes=0-9', 'if-range': '"other"' });
  expect(stale.status).toBe(200);
  expect(Buffer.from(await stale.arrayBuffer()).length).toBe(content.length);
  // nginx keeps no validator of its own to answer from.
  const since = await download(file.id, owner, {
    'if-modified-since': new Date(Date.now() + 3_600_000).toUTCString(),
  });
  expect(since.status).toBe(200);
  await since.body?.cancel();
});

test('who may read is the app’s to say: no redirect for a stranger, none without a session', async () => {
  const denied = await download(file.id, stranger);
  expect(denied.status).toBe(404);
  expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('not_found');
  const anonymous = await fetch(`${nginx.origin}/api/files/${file.id}/content`);
  expect(anonymous.status).toBe(401);
  await anonymous.body?.cancel();
});

test('the internal location cannot be asked for directly', async () => {
  const [blob] = await fs.readdir(path.join(dir, 'blobs'));
  const response = await fetch(`${nginx.origin}${PREFIX}${blob ?? ''}`);
  expect(response.status).toBe(404);
  await response.body?.cancel();
});
