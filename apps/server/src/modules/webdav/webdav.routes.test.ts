import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { DomainEvent } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import {
  createDavUser,
  davFetch,
  startDavServer,
  type DavServer,
  type DavUser,
} from './webdav.test-utils.js';

let server: DavServer;
let alice: DavUser;
let bob: DavUser;
let dav: ReturnType<typeof davFetch>;

beforeAll(async () => {
  // A small quota, so the quota guard can be crossed with a few kilobytes.
  server = await startDavServer({ env: { DEFAULT_QUOTA_BYTES: String(256 * 1024) } });
  alice = await createDavUser(server);
  bob = await createDavUser(server);
  dav = davFetch(server, alice);
});
afterAll(() => server.close());

const sha256 = (data: Buffer) => `"${createHash('sha256').update(data).digest('hex')}"`;

const propfind = (path: string, depth: string, body = '') =>
  dav(path, {
    method: 'PROPFIND',
    headers: { depth, 'content-type': 'application/xml' },
    ...(body ? { body } : {}),
  });

/** The hrefs of a multistatus, decoded. */
const hrefsOf = (xml: string) =>
  [...xml.matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((match) =>
    decodeURIComponent(match[1] ?? ''),
  );

/** A request with the path exactly as written: fetch would resolve "..". */
const rawRequest = (path: string, method: string, authorization: string) =>
  new Promise<number>((resolve, reject) => {
    const url = new URL(server.origin);
    const request = http.request(
      { host: url.hostname, port: url.port, path, method, headers: { authorization } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end();
  });

describe('authentication', () => {
  test('OPTIONS answers without credentials and announces DAV', async () => {
    const response = await fetch(`${server.origin}/dav/`, { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(response.headers.get('dav')).toMatch(/^1\b/);
    expect(response.headers.get('allow')).toContain('PROPFIND');
  });

  test('no credentials → 401 with a Basic challenge', async () => {
    const response = await fetch(`${server.origin}/dav/`, {
      method: 'PROPFIND',
      headers: { depth: '0' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  test('the account password is not an app password', async () => {
    const basic = Buffer.from(`${alice.email}:${alice.password}`).toString('base64');
    const response = await fetch(`${server.origin}/dav/`, {
      method: 'PROPFIND',
      headers: { depth: '0', authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(401);
  });

  test("a token with another account's email is refused", async () => {
    const basic = Buffer.from(`${bob.email}:${alice.token}`).toString('base64');
    const response = await fetch(`${server.origin}/dav/`, {
      method: 'PROPFIND',
      headers: { depth: '0', authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(401);
  });

  test('a Bearer token works too', async () => {
    const response = await fetch(`${server.origin}/dav/`, {
      method: 'PROPFIND',
      headers: { depth: '0', authorization: `Bearer ${alice.token}` },
    });
    expect(response.status).toBe(207);
  });

  test('a read-only token can list but not write', async () => {
    const reader = await createDavUser(server, ['read']);
    const as = davFetch(server, reader);
    expect((await as('/dav/', { method: 'PROPFIND', headers: { depth: '1' } })).status).toBe(207);
    const put = await as('/dav/nope.txt', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(403);
  });

  test('a session cookie is not WebDAV credentials', async () => {
    const response = await fetch(`${server.origin}/dav/hello.bin`, {
      headers: { cookie: alice.cookieHeader },
    });
    expect(response.status).toBe(401);
  });
});

describe('files by path', () => {
  test('PUT creates (201), GET returns the bytes with the SHA-256 ETag, PUT again replaces (204)', async () => {
    const content = randomBytes(5000);
    const created = await dav('/dav/hello.bin', { method: 'PUT', body: content });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe(sha256(content));

    const got = await dav('/dav/hello.bin');
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(content)).toBe(true);
    expect(got.headers.get('etag')).toBe(sha256(content));

    const next = randomBytes(100);
    const replaced = await dav('/dav/hello.bin', { method: 'PUT', body: next });
    expect(replaced.status).toBe(204);
    const head = await dav('/dav/hello.bin', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('100');
    expect(head.headers.get('etag')).toBe(sha256(next));
  });

  test('Range and If-None-Match behave as the REST download does', async () => {
    const content = randomBytes(1000);
    await dav('/dav/range.bin', { method: 'PUT', body: content });
    const part = await dav('/dav/range.bin', { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(10, 20))).toBe(true);
    const cached = await dav('/dav/range.bin', { headers: { 'if-none-match': sha256(content) } });
    expect(cached.status).toBe(304);
  });

  test('conditional PUT: If-None-Match: * on an existing file and a stale If-Match are 412', async () => {
    await dav('/dav/cond.txt', { method: 'PUT', body: 'one' });
    const create = await dav('/dav/cond.txt', {
      method: 'PUT',
      body: 'two',
      headers: { 'if-none-match': '*' },
    });
    expect(create.status).toBe(412);
    const stale = await dav('/dav/cond.txt', {
      method: 'PUT',
      body: 'two',
      headers: { 'if-match': '"0000"' },
    });
    expect(stale.status).toBe(412);
    expect(await (await dav('/dav/cond.txt')).text()).toBe('one');
    const fresh = await dav('/dav/cond.txt', {
      method: 'PUT',
      body: 'three',
      headers: { 'if-match': sha256(Buffer.from('one')) },
    });
    expect(fresh.status).toBe(204);
  });

  test('MKCOL, nested PUT, PROPFIND Depth 1 lists children with their properties', async () => {
    expect((await dav('/dav/Docs', { method: 'MKCOL' })).status).toBe(201);
    expect((await dav('/dav/Docs', { method: 'MKCOL' })).status).toBe(405);
    expect((await dav('/dav/Docs/Ünïcödé é.txt', { method: 'PUT', body: 'hi' })).status).toBe(201);
    expect((await dav('/dav/Docs/sub', { method: 'MKCOL' })).status).toBe(201);

    const response = await propfind('/dav/Docs/', '1');
    expect(response.status).toBe(207);
    const xml = await response.text();
    expect(hrefsOf(xml)).toEqual(['/dav/Docs/', '/dav/Docs/sub/', '/dav/Docs/Ünïcödé é.txt']);
    expect(xml).toContain('<D:getcontentlength>2</D:getcontentlength>');
    expect(xml).toContain('<D:resourcetype><D:collection/></D:resourcetype>');
  });

  test('names are looked up case-insensitively, as the unique-name rule compares them', async () => {
    await dav('/dav/Case.txt', { method: 'PUT', body: 'a' });
    expect((await dav('/dav/CASE.TXT')).status).toBe(200);
  });

  test('PUT or MKCOL under a missing folder is 409 and creates nothing', async () => {
    expect((await dav('/dav/missing/file.txt', { method: 'PUT', body: 'x' })).status).toBe(409);
    expect((await dav('/dav/missing/sub', { method: 'MKCOL' })).status).toBe(409);
    expect((await dav('/dav/missing')).status).toBe(404);
  });

  test('PROPFIND Depth: infinity (or none) is refused with propfind-finite-depth', async () => {
    for (const depth of ['infinity', '']) {
      const response = await dav('/dav/', {
        method: 'PROPFIND',
        headers: depth ? { depth } : {},
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<D:propfind-finite-depth/>');
    }
  });

  test('named properties: quota on folders, unknown ones 404 in their own propstat', async () => {
    const response = await propfind(
      '/dav/',
      '0',
      `<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:X="urn:x"><D:prop>
        <D:quota-available-bytes/><D:quota-used-bytes/><X:nothing/></D:prop></D:propfind>`,
    );
    const xml = await response.text();
    expect(xml).toMatch(/<D:quota-available-bytes>\d+<\/D:quota-available-bytes>/);
    expect(xml).toMatch(/<nothing xmlns="urn:x"\/><\/D:prop><D:status>HTTP\/1.1 404/);
  });
});

describe('delete, copy, move', () => {
  test('DELETE moves a folder to the trash, where the REST API lists it', async () => {
    await dav('/dav/Old', { method: 'MKCOL' });
    await dav('/dav/Old/a.txt', { method: 'PUT', body: 'a' });
    expect((await dav('/dav/Old', { method: 'DELETE' })).status).toBe(204);
    expect((await dav('/dav/Old/a.txt')).status).toBe(404);
    const trash = await server.app.inject({
      method: 'GET',
      url: '/api/trash',
      headers: alice.headers,
    });
    expect(trash.json<{ items: { name: string }[] }>().items.map((item) => item.name)).toContain(
      'Old',
    );
  });

  test('COPY a folder deep; MOVE renames; Overwrite: F onto an existing name is 412', async () => {
    await dav('/dav/Src', { method: 'MKCOL' });
    await dav('/dav/Src/in', { method: 'MKCOL' });
    await dav('/dav/Src/in/deep.txt', { method: 'PUT', body: 'deep' });
    const copy = await dav('/dav/Src', {
      method: 'COPY',
      headers: { destination: `${server.origin}/dav/Copy` },
    });
    expect(copy.status).toBe(201);
    expect(await (await dav('/dav/Copy/in/deep.txt')).text()).toBe('deep');

    const refused = await dav('/dav/Copy', {
      method: 'MOVE',
      headers: { destination: '/dav/Src', overwrite: 'F' },
    });
    expect(refused.status).toBe(412);

    const moved = await dav('/dav/Copy/in/deep.txt', {
      method: 'MOVE',
      headers: { destination: '/dav/Src/in/deep.txt' },
    });
    expect(moved.status).toBe(204);
    expect((await dav('/dav/Copy/in/deep.txt')).status).toBe(404);
  });

  test('MOVE and an overwriting COPY are recorded in the item’s history under the user', async () => {
    await dav('/dav/History', { method: 'MKCOL' });
    await dav('/dav/History/draft.txt', { method: 'PUT', body: 'draft' });
    await dav('/dav/History/other.txt', { method: 'PUT', body: 'other' });
    const moved = await dav('/dav/History/draft.txt', {
      method: 'MOVE',
      headers: { destination: '/dav/History/final.txt' },
    });
    expect(moved.status).toBe(201);
    const db = server.context.database.db;
    const idOf = async (name: string) =>
      (
        await db
          .selectFrom('nodes')
          .select('id')
          .where('owner_id', '=', alice.userId)
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;
    const finalId = await idOf('final.txt');
    const copied = await dav('/dav/History/other.txt', {
      method: 'COPY',
      headers: { destination: '/dav/History/final.txt' },
    });
    expect(copied.status).toBe(204);
    // Read from the table: a trashed item's history is not served by the API.
    const historyOf = async (id: string) =>
      (
        await db
          .selectFrom('node_activity')
          .select(['kind', 'actor_user_id'])
          .where('node_id', '=', id)
          .orderBy('seq')
          .execute()
      ).map((entry) => [entry.kind, entry.actor_user_id]);
    expect(await historyOf(finalId)).toEqual([
      ['renamed', alice.userId],
      ['trashed', alice.userId],
    ]);
  });

  test('a Destination on another host is refused', async () => {
    await dav('/dav/here.txt', { method: 'PUT', body: 'x' });
    const response = await dav('/dav/here.txt', {
      method: 'COPY',
      headers: { destination: 'http://elsewhere.example/dav/there.txt' },
    });
    expect(response.status).toBe(502);
  });

  test('a file PUT over WebDAV is announced like an upload through the API', async () => {
    const seen: DomainEvent[] = [];
    const stop = server.context.events.subscribe((event) => {
      seen.push(event);
    });
    await dav('/dav/announced.txt', { method: 'PUT', body: 'news' });
    stop();
    expect(seen.map((event) => event.type)).toContain('file.created');
  });
});

describe('guards', () => {
  test("another user's files are not found, and not listed", async () => {
    await davFetch(server, bob)('/dav/bob-secret.txt', { method: 'PUT', body: 'secret' });
    expect((await dav('/dav/bob-secret.txt')).status).toBe(404);
    expect((await dav('/dav/bob-secret.txt', { method: 'DELETE' })).status).toBe(404);
    const listing = await (await propfind('/dav/', '1')).text();
    expect(hrefsOf(listing)).not.toContain('/dav/bob-secret.txt');
    expect(await (await davFetch(server, bob)('/dav/bob-secret.txt')).text()).toBe('secret');
  });

  test('"..", "." and encoded slashes in a path are refused, never resolved', async () => {
    await dav('/dav/Docs2', { method: 'MKCOL' });
    for (const path of [
      '/dav/Docs2/../hello.bin',
      '/dav/./hello.bin',
      '/dav/Docs2%2F..%2Fhello.bin',
    ]) {
      expect(await rawRequest(path, 'GET', alice.authorization)).toBe(400);
    }
  });

  test('over quota: refused with 507 before or while streaming, nothing stored', async () => {
    const usage = async () =>
      (await server.app.inject({ method: 'GET', url: '/api/usage', headers: alice.headers })).json<{
        usedBytes: number;
      }>().usedBytes;
    const before = await usage();
    const big = randomBytes(300 * 1024);
    // Declared up front: refused before a byte is read.
    expect((await dav('/dav/big.bin', { method: 'PUT', body: big })).status).toBe(507);
    // Streamed without a length: refused once the quota is crossed.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const chunked = await dav('/dav/big2.bin', {
      method: 'PUT',
      body: stream,
      duplex: 'half',
    });
    expect(chunked.status).toBe(507);
    expect((await dav('/dav/big.bin')).status).toBe(404);
    expect((await dav('/dav/big2.bin')).status).toBe(404);
    expect(await usage()).toBe(before);
  });
});

describe('an archived folder', () => {
  test('lists, but refuses PUT, MKCOL, DELETE, MOVE and PROPPATCH inside it with 403 naming the reason', async () => {
    await dav('/dav/Cold', { method: 'MKCOL' });
    await dav('/dav/Cold/kept.txt', { method: 'PUT', body: 'kept' });
    const listing = await server.app.inject({
      method: 'GET',
      url: '/api/folders/root/children',
      headers: alice.headers,
    });
    const cold = listing
      .json<{ items: { id: string; name: string }[] }>()
      .items.find((item) => item.name === 'Cold');
    const archive = await server.app.inject({
      method: 'POST',
      url: `/api/folders/${cold?.id ?? ''}/archive`,
      headers: alice.headers,
    });
    expect(archive.statusCode).toBe(202);
    await runQueuedJobs(server.context);

    const refusals = [
      await dav('/dav/Cold/new.txt', { method: 'PUT', body: 'x' }),
      await dav('/dav/Cold/kept.txt', { method: 'PUT', body: 'x' }),
      await dav('/dav/Cold/sub', { method: 'MKCOL' }),
      await dav('/dav/Cold/kept.txt', { method: 'DELETE' }),
      await dav('/dav/Cold/kept.txt', { method: 'MOVE', headers: { destination: '/dav/out.txt' } }),
      await dav('/dav/Cold', { method: 'MOVE', headers: { destination: '/dav/Warm' } }),
      await dav('/dav/Cold', { method: 'DELETE' }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'folder_archived' } });
    }
    const patch = await dav('/dav/Cold/kept.txt', {
      method: 'PROPPATCH',
      headers: { 'content-type': 'application/xml' },
      body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>',
    });
    expect(patch.status).toBe(403);
    // Still listed; its bytes wait for a restore.
    expect(hrefsOf(await (await propfind('/dav/Cold/', '1')).text())).toContain(
      '/dav/Cold/kept.txt',
    );
    const read = await dav('/dav/Cold/kept.txt');
    expect(read.status).toBe(403);
    expect(await read.json()).toMatchObject({ error: { code: 'file_archived' } });
  });
});
