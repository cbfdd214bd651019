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
