import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHttpBrowser, type HttpBrowser } from '../../test-support/http-browser.js';
import { waitForHttpOk, type ServerProcess } from '../../test-support/server-process.js';
import { useServerProcesses } from '../../test-support/server-processes.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';

/**
 * A real worker process is SIGKILLed while it archives a folder, and again while it restores
 * it, on PostgreSQL with both tiers on disk. A second worker takes each job over once the dead
 * one's lease runs out, without using an attempt, and every file comes back byte-identical, with
 * the versions a replace kept (every fourth file has one), which travel between the tiers too.
 */
const PUBLIC_URL = 'http://localhost:3997';
const FILE_COUNT = 40;
const FILE_BYTES = 512 * 1024;
const VERSION_EVERY = 4;
const VERSION_COUNT = FILE_COUNT / VERSION_EVERY;

const deployment = useServerProcesses({
  prefix: 'sigkill',
  publicUrl: PUBLIC_URL,
  env: (root) => ({
    STORAGE_URL: `file://${path.join(root, 'hot')}`,
    ARCHIVE_STORAGE_URL: `file://${path.join(root, 'cold')}`,
    ARCHIVE_RESTORE_POLL_SECONDS: '1',
  }),
});
let apiUrl: string;
let user: HttpBrowser;
let hotDir: string;
let coldDir: string;
const files: { id: string; sha256: string; versionSha256: string | null }[] = [];
let folderId = '';
const figures: string[] = [];

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const startWorker = async (name: string) => {
  const worker = await deployment.start(name, ['worker']);
  await waitForHttpOk(worker.server, `${worker.url}/healthz`);
  return worker.server;
};

beforeAll(async () => {
  hotDir = path.join(deployment.root, 'hot');
  coldDir = path.join(deployment.root, 'cold');
  const api = await deployment.start('api', ['serve', '--no-workers']);
  apiUrl = api.url;
  await waitForHttpOk(api.server, `${apiUrl}/readyz`);
  user = createHttpBrowser({ origin: PUBLIC_URL, ip: '198.51.100.90' });
  await user.registerFresh(apiUrl, 'sigkill');
  const folder = await user.request(apiUrl, 'POST', '/api/folders', { json: { name: 'Big' } });
  expect(folder.status, folder.body).toBe(201);
  folderId = (folder.json() as { id: string }).id;
  const upload = async (name: string, content: Buffer) => {
    const { payload, contentType } = multipartBody([{ name, content }]);
    const uploaded = await user.request(
      apiUrl,
      'POST',
      `/api/folders/${folderId}/files?onConflict=replace`,
      { raw: payload, contentType },
    );
    expect(uploaded.status, uploaded.body).toBe(201);
    const [file] = (uploaded.json() as { files: { id: string }[] }).files;
    return file?.id ?? '';
  };
  for (let index = 0; index < FILE_COUNT; index += 1) {
    const first = randomBytes(FILE_BYTES);
    const id = await upload(`${index}.bin`, first);
    if (index % VERSION_EVERY !== 0) {
      files.push({ id, sha256: sha256Of(first), versionSha256: null });
      continue;
    }
    const second = randomBytes(FILE_BYTES);
    await upload(`${index}.bin`, second);
    files.push({ id, sha256: sha256Of(second), versionSha256: sha256Of(first) });
  }
}, 240_000);

afterAll(() => {
  console.log(`SIGKILL archive/restore:\n${figures.join('\n')}`);
});

const countFiles = async (dir: string) => {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.includes('.tmp')).length;
};

/** SIGKILLs `worker` as soon as `progress()` is strictly between 0 and `FILE_COUNT`. */
const killMidway = async (worker: ServerProcess, progress: () => Promise<number>) => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const done = await progress();
    if (done >= 3 && done < FILE_COUNT) {
      worker.child.kill('SIGKILL');
      await new Promise((resolve) => worker.child.once('exit', resolve));
      return done;
    }
    if (done >= FILE_COUNT) throw new Error('The job finished before it could be killed.');
    if (Date.now() > deadline)
      throw new Error(`No progress to kill at (${done}).\n${worker.describe()}`);
    await sleep(10);
  }
};

const jobRow = (id: string) =>
  deployment.database.db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'lost_runs', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const waitForJob = async (id: string) => {
  const started = Date.now();
  await expect
    .poll(async () => (await jobRow(id)).status, { timeout: 120_000, interval: 250 })
    .toBe('done');
  return (Date.now() - started) / 1000;
};

test('a worker SIGKILLed mid-archive: the next worker takes over and archives every file', async () => {
  const first = await startWorker('worker-1');
  const answer = await user.request(apiUrl, 'POST', `/api/folders/${folderId}/archive`);
  expect(answer.status, answer.body).toBe(202);
  const jobId = (answer.json() as { job: { id: string } }).job.id;
  const coldAtKill = await killMidway(first, () => countFiles(coldDir));
  await startWorker('worker-2');
  const resumedIn = await waitForJob(jobId);
  const job = await jobRow(jobId);
  figures.push(
    `  archive: killed with ${coldAtKill}/${FILE_COUNT} files cold, done ${resumedIn.toFixed(1)} s later (attempts ${job.attempts}, lost runs ${job.lost_runs})`,
  );
  expect(job).toMatchObject({ attempts: 1, lost_runs: 1 });
  const states = await deployment.database.db
    .selectFrom('nodes')
    .select('storage_state')
    .where('parent_id', '=', folderId)
    .execute();
  expect(states.map((row) => row.storage_state)).toEqual(
    Array.from({ length: FILE_COUNT }, () => 'archived'),
  );
  expect(await countFiles(hotDir)).toBe(0);
  expect(await countFiles(coldDir)).toBe(FILE_COUNT + VERSION_COUNT);
}, 240_000);

test('a worker SIGKILLed mid-restore: the next worker takes over, every SHA-256 matches', async () => {
  const third = await startWorker('worker-3');
  const answer = await user.request(apiUrl, 'POST', `/api/folders/${folderId}/restore`, {
    json: {},
  });
  expect(answer.status, answer.body).toBe(202);
  const jobId = (answer.json() as { job: { id: string } }).job.id;
  const hotAtKill = await killMidway(third, () => countFiles(hotDir));
  await startWorker('worker-4');
  const resumedIn = await waitForJob(jobId);
  const job = await jobRow(jobId);
  figures.push(
    `  restore: killed with ${hotAtKill}/${FILE_COUNT} files hot, done ${resumedIn.toFixed(1)} s later (attempts ${job.attempts}, lost runs ${job.lost_runs})`,
  );
  // A restore snoozes between looks at the cold tier, so the kill may find it queued rather
  // than running: either way no attempt is used.
  expect(job.attempts).toBe(1);
  const get = (url: string) =>
    fetch(`${apiUrl}${url}`, {
      headers: { cookie: user.cookieHeader(), origin: PUBLIC_URL, 'x-forwarded-for': user.ip },
    });
  for (const file of files) {
    const response = await get(`/api/files/${file.id}/content`);
    expect(response.status).toBe(200);
    expect(sha256Of(Buffer.from(await response.arrayBuffer()))).toBe(file.sha256);
    if (file.versionSha256 === null) continue;
    const listed = await get(`/api/files/${file.id}/versions`);
    const { versions } = (await listed.json()) as { versions: { id: string }[] };
    expect(versions).toHaveLength(1);
    const version = await get(`/api/files/${file.id}/versions/${versions[0]?.id ?? ''}/content`);
    expect(version.status).toBe(200);
    expect(sha256Of(Buffer.from(await version.arrayBuffer()))).toBe(file.versionSha256);
  }
  expect(await countFiles(coldDir)).toBe(0);
}, 240_000);
