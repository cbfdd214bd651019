import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { beforeAll, expect, test } from 'vitest';
import { createHttpBrowser, type HttpBrowser } from '../../test-support/http-browser.js';
import { waitForHttpOk } from '../../test-support/server-process.js';
import { useServerProcesses } from '../../test-support/server-processes.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';

/**
 * A real worker process is SIGKILLed while it copies a folder, on PostgreSQL with the store on
 * disk. Watching the database all the while, the copy is never seen in part: the user's live
 * nodes are either those from before or those plus the whole tree. A second worker takes the job
 * over once the dead one's lease runs out, and the copy ends whole: every byte matches, the
 * usage counts it once with nothing left reserved, and the store holds no blob beyond the
 * copies' own.
 */
const PUBLIC_URL = 'http://localhost:3997';
const FILE_COUNT = 40;
const FILE_BYTES = 512 * 1024;

const deployment = useServerProcesses({
  prefix: 'copykill',
  publicUrl: PUBLIC_URL,
  env: (root) => ({ STORAGE_URL: `file://${path.join(root, 'hot')}` }),
});
let apiUrl: string;
let user: HttpBrowser;
let userId = '';
let sourceId = '';
let targetId = '';
const hashes = new Map<string, string>();

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const startWorker = async (name: string) => {
  const worker = await deployment.start(name, ['worker']);
  await waitForHttpOk(worker.server, `${worker.url}/healthz`);
  return worker.server;
};

const countBlobs = async () => {
  const dir = path.join(deployment.root, 'hot');
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.includes('.tmp')).length;
};

const liveNodes = async () =>
  Number(
    (
      await sql<{ n: string }>`
        select count(*) as n from nodes where owner_id = ${userId} and trashed_at is null
      `.execute(deployment.database.db)
    ).rows[0]?.n,
  );

beforeAll(async () => {
  const api = await deployment.start('api', ['serve', '--no-workers']);
  apiUrl = api.url;
  await waitForHttpOk(api.server, `${apiUrl}/readyz`);
  user = createHttpBrowser({ origin: PUBLIC_URL, ip: '198.51.100.91' });
  userId = (await user.registerFresh(apiUrl, 'copykill')).userId;
  const folder = async (name: string, parentId?: string) => {
    const made = await user.request(apiUrl, 'POST', '/api/folders', {
      json: { name, ...(parentId ? { parentId } : {}) },
    });
    expect(made.status, made.body).toBe(201);
    return (made.json() as { id: string }).id;
  };
  sourceId = await folder('Big');
  const inner = await folder('Inner', sourceId);
  targetId = await folder('Target');
  for (let index = 0; index < FILE_COUNT; index += 1) {
    const content = randomBytes(FILE_BYTES);
    const { payload, contentType } = multipartBody([{ name: `${index}.bin`, content }]);
    const uploaded = await user.request(
      apiUrl,
      'POST',
      `/api/folders/${index % 2 === 0 ? sourceId : inner}/files`,
      { raw: payload, contentType },
    );
    expect(uploaded.status, uploaded.body).toBe(201);
    hashes.set(`${index}.bin`, sha256Of(content));
  }
}, 240_000);

test('a worker SIGKILLed mid-copy: nobody sees a half tree, the next worker finishes it whole', async () => {
  const before = await liveNodes();
  const blobsBefore = await countBlobs();
  const treeSize = FILE_COUNT + 2;
  const seen = new Set<number>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      seen.add(await liveNodes());
      await sleep(5);
    }
  })();

  const first = await startWorker('worker-1');
  const answer = await user.request(apiUrl, 'POST', `/api/folders/${sourceId}/copy`, {
    json: { targetFolderId: targetId },
  });
  expect(answer.status, answer.body).toBe(202);
  const jobId = (answer.json() as { job: { id: string } }).job.id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const copied = (await countBlobs()) - blobsBefore;
    if (copied >= 3 && copied < FILE_COUNT) break;
    if (copied >= FILE_COUNT) throw new Error('The copy finished before it could be killed.');
    if (Date.now() > deadline) throw new Error(`No progress to kill at.\n${first.describe()}`);
    await sleep(5);
  }
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  // Killed mid-way: nothing of the copy is visible.
  expect(await liveNodes()).toBe(before);

  await startWorker('worker-2');
  await expect
    .poll(
      async () =>
        (
          await deployment.database.db
            .selectFrom('jobs')
            .select('status')
            .where('id', '=', jobId)
            .executeTakeFirstOrThrow()
        ).status,
      { timeout: 120_000, interval: 250 },
    )
    .toBe('done');
  watching = false;
  await watcher;
  expect([...seen].sort((a, b) => a - b)).toEqual([before, before + treeSize]);

  const get = (url: string) =>
    fetch(`${apiUrl}${url}`, {
      headers: { cookie: user.cookieHeader(), origin: PUBLIC_URL, 'x-forwarded-for': user.ip },
    });
  const children = async (id: string) =>
    (
      (await (await get(`/api/folders/${id}/children?limit=100`)).json()) as {
        items: { id: string; name: string; kind: string }[];
      }
    ).items;
  const [copy] = await children(targetId);
  expect(copy?.name).toBe('Big');
  const top = await children(copy?.id ?? '');
  const innerCopy = top.find((item) => item.kind === 'folder');
  const copiedFiles = [
    ...top.filter((item) => item.kind === 'file'),
    ...(await children(innerCopy?.id ?? '')),
  ];
  expect(copiedFiles).toHaveLength(FILE_COUNT);
  for (const file of copiedFiles) {
    const response = await get(`/api/files/${file.id}/content`);
    expect(sha256Of(Buffer.from(await response.arrayBuffer()))).toBe(hashes.get(file.name));
  }
  const usage = await deployment.database.db
    .selectFrom('storage_usage')
    .select(['used_bytes', 'file_count', 'reserved_bytes'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  expect(usage).toEqual({
    used_bytes: 2 * FILE_COUNT * FILE_BYTES,
    file_count: 2 * FILE_COUNT,
    reserved_bytes: 0,
  });
  expect(await countBlobs()).toBe(blobsBefore + FILE_COUNT);
  const staged = await deployment.database.db
    .selectFrom('folder_copies')
    .select('job_id')
    .execute();
  expect(staged).toEqual([]);
}, 300_000);
