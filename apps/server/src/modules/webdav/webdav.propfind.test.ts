import { afterAll, beforeAll, expect, test } from 'vitest';
import { fillLargeFolder } from '../../test-support/files-bench-support.js';
import { resolveLivePath } from '../nodes/nodes.repository.js';
import { createDavUser, davFetch, startDavServer, type DavServer } from './webdav.test-utils.js';

const ENTRIES = 10_000;
const MiB = 1024 * 1024;

let server: DavServer;
let dav: ReturnType<typeof davFetch>;
beforeAll(async () => {
  server = await startDavServer();
  const user = await createDavUser(server);
  dav = davFetch(server, user);
  await dav('/dav/Big', { method: 'MKCOL' });
  const db = server.context.database.db;
  const folder = (await resolveLivePath(db, { ownerId: user.userId, names: ['Big'] })).at(-1);
  if (!folder) throw new Error('no folder');
  await fillLargeFolder(db, {
    ownerId: user.userId,
    folderId: folder.id,
    total: ENTRIES,
    folders: 100,
  });
}, 120_000);
afterAll(() => server.close());

test(
  'PROPFIND Depth 1 of 10,000 entries streams: chunked, in many pieces, the heap stays flat',
  { timeout: 120_000 },
  async () => {
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const started = performance.now();
    const response = await dav('/dav/Big/', {
      method: 'PROPFIND',
      headers: { depth: '1' },
    });
    expect(response.status).toBe(207);
    expect(response.headers.get('content-length')).toBeNull();
    const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let bytes = 0;
    let chunks = 0;
    let responses = 0;
    let carry = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks++;
      // Count as we go and keep only a short tail, so the test itself holds no copy.
      const text = carry + decoder.decode(value, { stream: true });
      responses += text.split('<D:response>').length - 1;
      carry = text.slice(-11);
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }
    const elapsed = performance.now() - started;
    const heapDelta = (peakHeap - baseline.heapUsed) / MiB;
    const rssDelta = (peakRss - baseline.rss) / MiB;
    console.log(
      `PROPFIND Depth 1, ${ENTRIES} entries: ${(bytes / MiB).toFixed(1)} MiB in ${chunks} chunks, ` +
        `${Math.round(elapsed)} ms; ` +
        `peak heap +${heapDelta.toFixed(1)} MiB, peak RSS +${rssDelta.toFixed(1)} MiB`,
    );
    expect(responses).toBe(ENTRIES + 1);
    expect(chunks).toBeGreaterThan(10);
    // Loose: the body is several MiB; holding it (and its strings) whole would cost a multiple.
    expect(heapDelta).toBeLessThan(64);
  },
);

/** Each `<D:response>` of a multistatus by its href. */
const responsesByHref = (xml: string) =>
  new Map(
    xml
      .split('<D:response>')
      .slice(1)
      .map((part) => [/<D:href>([^<]*)<\/D:href>/.exec(part)?.[1] ?? '', part]),
  );

test('Depth 1 gives each member its own dead properties and locks, and a folder lock to all', async () => {
  await dav('/dav/Small', { method: 'MKCOL' });
  for (const name of ['a.txt', 'b.txt', 'c.txt']) {
    await dav(`/dav/Small/${name}`, { method: 'PUT', body: name });
  }
  const proppatch = await dav('/dav/Small/a.txt', {
    method: 'PROPPATCH',
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:test">' +
      '<D:set><D:prop><Z:color>red</Z:color></D:prop></D:set></D:propertyupdate>',
  });
  expect(proppatch.status).toBe(207);
  const lockinfo =
    '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope>' +
    '<D:locktype><D:write/></D:locktype></D:lockinfo>';
  for (const [path, depth] of [
    ['/dav/Small/b.txt', '0'],
    ['/dav/Small/', 'infinity'],
  ] as const) {
    const locked = await dav(path, { method: 'LOCK', headers: { depth }, body: lockinfo });
    expect(locked.status).toBe(200);
  }

  const allprop = responsesByHref(
    await (await dav('/dav/Small/', { method: 'PROPFIND', headers: { depth: '1' } })).text(),
  );
  const locksOf = (href: string) => allprop.get(href)?.match(/<D:activelock>/g)?.length ?? 0;
  expect([...allprop.keys()]).toEqual([
    '/dav/Small/',
    '/dav/Small/a.txt',
    '/dav/Small/b.txt',
    '/dav/Small/c.txt',
  ]);
  expect(allprop.get('/dav/Small/a.txt')).toContain('<Z:color xmlns:Z="urn:test">red</Z:color>');
  expect(allprop.get('/dav/Small/c.txt')).not.toContain('urn:test');
  expect(['/dav/Small/', '/dav/Small/a.txt', '/dav/Small/c.txt'].map(locksOf)).toEqual([1, 1, 1]);
  // b.txt: its own lock (rooted at itself) and the folder's (rooted at the folder).
  expect(locksOf('/dav/Small/b.txt')).toBe(2);
  expect(allprop.get('/dav/Small/b.txt')).toContain(
    '<D:lockroot><D:href>/dav/Small/b.txt</D:href></D:lockroot>',
  );
  expect(allprop.get('/dav/Small/c.txt')).toContain(
    '<D:lockroot><D:href>/dav/Small/</D:href></D:lockroot>',
  );

  // Asked by name: found (200) on the member that has it, missing (404) on the others.
  const named = responsesByHref(
    await (
      await dav('/dav/Small/', {
        method: 'PROPFIND',
        headers: { depth: '1' },
        body: '<D:propfind xmlns:D="DAV:" xmlns:Z="urn:test"><D:prop><Z:color/></D:prop></D:propfind>',
      })
    ).text(),
  );
  expect(named.get('/dav/Small/a.txt')).toMatch(/red<\/Z:color>.*200 OK/);
  expect(named.get('/dav/Small/c.txt')).toMatch(/<color xmlns="urn:test"\/>.*404 Not Found/);
});
