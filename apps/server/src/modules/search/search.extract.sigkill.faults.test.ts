import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SearchPage } from '@myfile/contract';
import { beforeAll, expect, test } from 'vitest';
import { createHttpBrowser, type HttpBrowser } from '../../test-support/http-browser.js';
import { waitForHttpOk } from '../../test-support/server-process.js';
import { useServerProcesses } from '../../test-support/server-processes.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';
import { textPdf } from './search.test-utils.js';

/**
 * A real worker process is SIGKILLed while it extracts the text of freshly uploaded PDFs (in
 * worker threads) and text files, on PostgreSQL. The next worker takes the unfinished jobs over
 * once their lease runs out, and every file ends up findable by a phrase only it contains,
 * exactly once: no job lost, none indexed twice, none failed.
 */
const PUBLIC_URL = 'http://localhost:3996';
const PDF_COUNT = 40;
const TEXT_COUNT = 10;
const FILE_COUNT = PDF_COUNT + TEXT_COUNT;

const deployment = useServerProcesses({
  prefix: 'extract-sigkill',
  publicUrl: PUBLIC_URL,
  env: (root) => ({ STORAGE_URL: `file://${path.join(root, 'hot')}` }),
});
let apiUrl: string;
let user: HttpBrowser;
const phrases: string[] = [];

/** A made-up word per file, so that a hit names exactly one file. */
const phraseOf = (index: number) => `zorblax${String(index).padStart(3, '0')}quintet`;

beforeAll(async () => {
  // No workers in the API process: the extraction jobs wait for the worker the test kills.
  const api = await deployment.start('api', ['serve', '--no-workers']);
  apiUrl = api.url;
  await waitForHttpOk(api.server, `${apiUrl}/readyz`);
  user = createHttpBrowser({ origin: PUBLIC_URL, ip: '198.51.100.91' });
  await user.registerFresh(apiUrl, 'extract-sigkill');
  const folder = await user.request(apiUrl, 'POST', '/api/folders', { json: { name: 'Notes' } });
  expect(folder.status, folder.body).toBe(201);
  const folderId = (folder.json() as { id: string }).id;
  for (let index = 0; index < FILE_COUNT; index += 1) {
    const phrase = phraseOf(index);
    phrases.push(phrase);
    const isPdf = index < PDF_COUNT;
    const content = isPdf
      ? textPdf([`Quarterly notes ${index}`, `The code word is ${phrase} today.`])
      : Buffer.from(`${'Plain filler text. '.repeat(5_000)}\nThe code word is ${phrase}.\n`);
    const { payload, contentType } = multipartBody([
      { name: `${index}.${isPdf ? 'pdf' : 'txt'}`, content },
    ]);
    const uploaded = await user.request(apiUrl, 'POST', `/api/folders/${folderId}/files`, {
      raw: payload,
      contentType,
    });
    expect(uploaded.status, uploaded.body).toBe(201);
  }
}, 240_000);

const indexedCount = async () =>
  Number(
    (
      await deployment.database.db
        .selectFrom('node_texts')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow()
    ).count,
  );

const extractionJobs = () =>
  deployment.database.db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'lost_runs', 'last_error'])
    .where('name', '=', 'search.extract-text')
    .execute();

test('a worker SIGKILLed mid-extraction: the next one finishes, every file is found once', async () => {
  expect(await extractionJobs()).toHaveLength(FILE_COUNT);
  const first = await deployment.start('worker-1', ['worker']);
  const deadline = Date.now() + 120_000;
  let atKill = 0;
  for (;;) {
    atKill = await indexedCount();
    if (atKill >= 2 && atKill < FILE_COUNT) break;
    if (atKill >= FILE_COUNT) throw new Error('Every file was indexed before the kill.');
    if (Date.now() > deadline) throw new Error(`Nothing indexed.\n${first.server.describe()}`);
    await sleep(10);
  }
  first.server.child.kill('SIGKILL');
  await new Promise((resolve) => first.server.child.once('exit', resolve));
  const leftRunning = (await extractionJobs()).filter((job) => job.status === 'running').length;

  const second = await deployment.start('worker-2', ['worker']);
  await waitForHttpOk(second.server, `${second.url}/healthz`);
  await expect
    .poll(async () => (await extractionJobs()).filter((job) => job.status !== 'done').length, {
      timeout: 180_000,
      interval: 500,
    })
    .toBe(0);
  console.log(
    `SIGKILL text extraction: killed at ${atKill}/${FILE_COUNT} indexed, ${leftRunning} jobs left running`,
  );

  const jobs = await extractionJobs();
  expect(jobs.every((job) => job.attempts === 1 && job.last_error === null)).toBe(true);
  expect(jobs.reduce((sum, job) => sum + job.lost_runs, 0)).toBe(leftRunning);
  expect(await indexedCount()).toBe(FILE_COUNT);
  for (const [index, phrase] of phrases.entries()) {
    const found = await user.request(apiUrl, 'GET', `/api/search?q=${phrase}`);
    expect(found.status, found.body).toBe(200);
    const { items } = found.json() as SearchPage;
    expect(items.map((item) => item.name)).toEqual([
      `${index}.${index < PDF_COUNT ? 'pdf' : 'txt'}`,
    ]);
  }
}, 400_000);
