import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runQueuedJobs } from '../apps/server/src/test-support/run-queued-jobs.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import type { ClientResult, ClientTask } from './client.process.js';
import { runClient, startBenchApp, type BenchApp } from './files.bench-utils.js';
import { removeApiFile, summarise, type Sample } from './files-transfer.bench.js';

const createFolder = async (api: BenchApp, name: string) => {
  const response = await api.app.inject({
    method: 'POST',
    url: '/api/folders',
    headers: api.user.headers,
    payload: { name },
  });
  return response.json<{ id: string }>().id;
};

/** Deletes the versions a replace kept (and their blobs), so every round starts alike. */
const dropVersions = async (api: BenchApp, fileId: string) => {
  const headers = api.user.headers;
  const listed = await api.app.inject({
    method: 'GET',
    url: `/api/files/${fileId}/versions`,
    headers,
  });
  for (const { id } of listed.json<{ versions: { id: string }[] }>().versions) {
    await api.app.inject({
      method: 'DELETE',
      url: `/api/files/${fileId}/versions/${id}`,
      headers,
    });
  }
  await runQueuedJobs(api.context);
};

const fileIdOf = (result: ClientResult) =>
  (JSON.parse(result.body) as { files: { id: string }[] }).files[0]?.id ?? '';

/**
 * What keeping a version costs a write: replacing a file (its old bytes kept as a version, by
 * moving the blob key, no copy) against a plain upload of the same size into an empty folder.
 */
export const bench: Bench = {
  name: 'versions: replace of a large file (old bytes kept as a version) vs a plain upload of it',
  run: async () => {
    const sizeMiB = Number(process.env.BENCH_VERSION_SIZE_MB ?? 100);
    const repeat = Number(process.env.BENCH_REPEAT ?? 3);
    const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String((sizeMiB + 1) * MiB) } });
    try {
      const plainFolder = await createFolder(api, 'plain');
      const replaceFolder = await createFolder(api, 'replaced');
      const task = (folderId: string, query = ''): ClientTask => ({
        kind: 'upload',
        url: `${api.baseUrl}/api/folders/${folderId}/files${query}`,
        headers: api.user.headers,
        sizeMiB,
        multipart: true,
      });
      const timed = async (one: ClientTask): Promise<Sample> => {
        await promisify(execFile)('sync');
        let result: ClientResult | undefined;
        const sample = await measure(async () => {
          result = await runClient(one);
        });
        if (!result) throw new Error('The bench client returned nothing.');
        return { ...sample, result };
      };
      const target = fileIdOf(await runClient(task(replaceFolder)));
      const runs = { plain: [] as Sample[], replace: [] as Sample[] };
      // The cases take turns within each round, so a slow minute of a shared machine slows both.
      for (let round = 0; round < repeat; round++) {
        const plain = await timed(task(plainFolder));
        runs.plain.push(plain);
        await removeApiFile(api, fileIdOf(plain.result));
        const replaced = await timed(task(replaceFolder, '?onConflict=replace'));
        if (fileIdOf(replaced.result) !== target) throw new Error('The replace made a new file.');
        runs.replace.push(replaced);
        await dropVersions(api, target);
      }
      const plain = summarise(runs.plain);
      const replace = summarise(runs.replace);
      const row = (name: string, sample: Sample): BenchRow => ({
        case: name,
        'MiB/s': sizeMiB / sample.seconds,
        seconds: sample.seconds,
        'ratio vs plain upload': plain.seconds / sample.seconds,
      });
      return [
        row(`plain upload ${sizeMiB} MiB`, plain),
        row(`replace ${sizeMiB} MiB (keeps a version)`, replace),
      ];
    } finally {
      await api.close();
    }
  },
};
