import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, uploadOne } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
let file: NodeDto;
const content = randomBytes(1000);
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
  file = await fixtures.newFile(user, { name: 'data.bin', content });
});
afterAll(() => testApp.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  testApp.app.inject({ method: 'GET', url, headers: { ...user.headers, ...headers } });

describe('download', () => {
  test('streams the whole file with length, ETag, nosniff and an attachment disposition', async () => {
    const response = await get(`/api/files/${file.id}/content`);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(content)).toBe(true);
    expect(response.headers).toMatchObject({
      'content-length': '1000',
      etag: `"${createHash('sha256').update(content).digest('hex')}"`,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    });
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="data.bin"; filename*=UTF-8''data.bin`,
    );
  });

  test('If-None-Match with the ETag answers 304', async () => {
    const { headers } = await get(`/api/files/${file.id}/content`);
    const response = await get(`/api/files/${file.id}/content`, {
      'if-none-match': String(headers.etag),
    });
    expect(response.statusCode).toBe(304);
    expect(response.body).toBe('');
  });

  test.each([
    ['bytes=0-9', 206, 0, 9],
    ['bytes=990-', 206, 990, 999],
    ['bytes=-10', 206, 990, 999],
    ['bytes=-5000', 206, 0, 999],
    ['bytes=500-99999', 206, 500, 999],
    ['bytes=999-999', 206, 999, 999],
  ])('Range %s → %i bytes %i-%i', async (range, status, start, end) => {
    const response = await get(`/api/files/${file.id}/content`, { range });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.rawPayload.equals(content.subarray(start, end + 1))).toBe(true);
  });

  test.each([['bytes=1000-'], ['bytes=5000-6000'], ['bytes=-0']])(
    'Range %s past the end → 416 with Content-Range */size',
    async (range) => {
      const response = await get(`/api/files/${file.id}/content`, { range });
      expect(response.statusCode).toBe(416);
      expect(response.headers['content-range']).toBe('bytes */1000');
      expect(response.json()).toMatchObject({ error: { code: 'range_not_satisfiable' } });
    },
  );

  test.each([['bytes=0-1,5-6'], ['items=0-5'], ['bytes=9-1']])(
    'a multi-range or malformed Range %s is ignored: 200 with the whole file',
    async (range) => {
      const response = await get(`/api/files/${file.id}/content`, { range });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.length).toBe(1000);
    },
  );

  test('a stale If-Range sends the whole file', async () => {
    const response = await get(`/api/files/${file.id}/content`, {
      range: 'bytes=0-9',
      'if-range': '"other"',
    });
    expect(response.statusCode).toBe(200);
  });

  test('names with quotes, CRLF-like and non-ASCII characters get an RFC 6266 disposition', async () => {
    const odd = await uploadOne(testApp.app, user, {
      name: 'rapport "final" été ✓.txt',
      content: 'x',
    });
    const response = await get(`/api/files/${odd.id}/content`);
    const header = String(response.headers['content-disposition']);
    expect(header).toBe(
      `attachment; filename="rapport _final_ _t_ _.txt"; filename*=UTF-8''rapport%20%22final%22%20%C3%A9t%C3%A9%20%E2%9C%93.txt`,
    );
    expect(header).not.toMatch(/[\r\n]/);
  });

  test('?inline=1 only for safe types, under a sandbox CSP; HTML and SVG stay attachments', async () => {
    const text = await uploadOne(testApp.app, user, { name: 'readme.txt', content: 'plain words' });
    const html = await uploadOne(testApp.app, user, {
      name: 'page.html',
      content: '<!doctype html><html><script>alert(1)</script></html>',
    });
    const svg = await uploadOne(testApp.app, user, {
      name: 'x.svg',
      content:
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    });
    const inlineText = await get(`/api/files/${text.id}/content?inline=1`);
    expect(inlineText.headers['content-disposition']).toMatch(/^inline;/);
    expect(inlineText.headers['content-security-policy']).toBe('sandbox');
    expect(inlineText.headers['content-type']).toBe('text/plain; charset=utf-8');
    for (const risky of [html, svg]) {
      const response = await get(`/api/files/${risky.id}/content?inline=1`);
      expect(response.headers['content-disposition']).toMatch(/^attachment;/);
      expect(response.headers['content-type']).not.toMatch(/html|svg/);
      expect(response.headers['content-security-policy']).toContain('sandbox');
    }
  });
});

describe('metadata, rename, move, copy', () => {
  test('GET gives the file with its path; PATCH renames and moves', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'docs' });
    const sub = await createFolderVia(testApp.app, user, { name: 'sub', parentId: folder.id });
    const own = await uploadOne(testApp.app, user, {
      name: 'm.txt',
      content: 'meta',
      folderId: sub.id,
    });
    const got = await get(`/api/files/${own.id}`);
    expect(got.json()).toMatchObject({ id: own.id, path: [{ name: 'docs' }, { name: 'sub' }] });
    const patch = (payload: object) =>
      testApp.app.inject({
        method: 'PATCH',
        url: `/api/files/${own.id}`,
        headers: user.headers,
        payload,
      });
    expect((await patch({ name: 'renamed.txt' })).json()).toMatchObject({ name: 'renamed.txt' });
    expect((await patch({ parentId: folder.id })).json()).toMatchObject({ parentId: folder.id });
    await uploadOne(testApp.app, user, { name: 'taken.txt', content: 't', folderId: folder.id });
    expect((await patch({ name: 'TAKEN.txt' })).json()).toMatchObject({
      error: { code: 'name_conflict' },
    });
    expect((await patch({ name: 'bad/name' })).statusCode).toBe(400);
  });

  test('copy duplicates the bytes under a free name and counts toward usage', async () => {
    const copy = await testApp.app.inject({
      method: 'POST',
      url: `/api/files/${file.id}/copy`,
      headers: user.headers,
      payload: {},
    });
    expect(copy.statusCode).toBe(201);
    const copied = copy.json<NodeDto>();
    expect(copied).toMatchObject({ name: 'data (1).bin', sha256: file.sha256, size: 1000 });
    expect(copied.id).not.toBe(file.id);
    const body = await get(`/api/files/${copied.id}/content`);
    expect(body.rawPayload.equals(content)).toBe(true);
  });
});

describe('bulk', () => {
  test('a copy past the quota is 413 quota_exceeded and leaves no row and no blob', async () => {
    const owner = await fixtures.newUser({ quotaBytes: 1500 });
    const original = await fixtures.newFile(owner, { name: 'a.bin', content });
    const blobKeys = async () => {
      const keys: string[] = [];
      for await (const blob of testApp.context.blobStorage.list({})) keys.push(blob.key);
      return keys.sort();
    };
    const before = await blobKeys();
    const copy = await testApp.app.inject({
      method: 'POST',
      url: `/api/files/${original.id}/copy`,
      headers: owner.headers,
      payload: {},
    });
    expect(copy.statusCode).toBe(413);
    expect(copy.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    const usage = await get('/api/usage', owner.headers);
    expect(usage.json()).toMatchObject({ usedBytes: 1000, fileCount: 1 });
    expect(await blobKeys()).toEqual(before);
  });

  test('move and delete many in one request, with a result per item', async () => {
    const target = await createFolderVia(testApp.app, user, { name: 'bulk-target' });
    const a = await uploadOne(testApp.app, user, { name: 'bulk-a.txt', content: 'a' });
    const b = await createFolderVia(testApp.app, user, { name: 'bulk-b' });
    const moved = await testApp.app.inject({
      method: 'POST',
      url: '/api/bulk/move',
      headers: user.headers,
      payload: {
        ids: [a.id, b.id, target.id, '01900000-0000-7000-8000-000000000000'],
        targetFolderId: target.id,
      },
    });
    expect(
      moved
        .json<{ results: { ok: boolean; error?: { code: string } }[] }>()
        .results.map((r) => (r.ok ? 'ok' : r.error?.code)),
    ).toEqual(['ok', 'ok', 'conflict', 'not_found']);
    const deleted = await testApp.app.inject({
      method: 'POST',
      url: '/api/bulk/delete',
      headers: user.headers,
      payload: { ids: [a.id, b.id, 'nope'] },
    });
    expect(deleted.json<{ results: { ok: boolean }[] }>().results.map((r) => r.ok)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
