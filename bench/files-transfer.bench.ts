import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { runQueuedJobs } from '../apps/server/src/test-support/run-queued-jobs.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import type { ClientResult, ClientTask } from './client.process.js';
import { runClient, startBenchApp, type BenchApp } from './files.bench-utils.js';

/** The baseline our targets are set against: a bare Node server that only pipes the request to disk. */
export const startBareServer = async (dir: string, { flush }: { flush: boolean }) => {
  const target = join(dir, `bare-${flush ? 'flush' : 'plain'}.bin`);
  const server = http.createServer((request, response) => {
    if (request.method === 'PUT') {
      pipeline(request, createWriteStream(target, { flush })).then(
        () => response.end('ok'),
        () => response.destroy(),
      );
    } else {
      pipeline(createReadStream(target), response).catch(() => response.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/file`,
    removeFile: () => rm(target, { force: true }),
    close: () => new Promise((r) => server.close(r)),
  };
};

/** Deletes and purges the uploaded file, blob included, so every run starts on the same disk. */
export const removeApiFile = async (api: BenchApp, fileId: string) => {
  const headers = api.user.headers;
  await api.app.inject({ method: 'DELETE', url: `/api/files/${fileId}`, headers });
  await api.app.inject({ method: 'DELETE', url: '/api/trash', headers });
  await runQueuedJobs(api.context);
};

const mibPerSecond = (bytes: number, seconds: number) => bytes / MiB / seconds;

export type Sample = { seconds: number; rssGrowthBytes: number; result: ClientResult };

/** The median run's time, and the worst RSS growth of all runs. */
export const summarise = (runs: Sample[]) => {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (!median) throw new Error('BENCH_REPEAT must be at least 1.');
  return { ...median, rssGrowthBytes: Math.max(...runs.map((run) => run.rssGrowthBytes)) };
};

export const bench: Bench = {
  name: 'files: upload/download of one large file through the API vs a bare Node server',
  run: async () => {
    const sizeMiB = Number(process.env.BENCH_SIZE_MB ?? 1024);
    const bytes = sizeMiB * MiB;
    const repeat = Number(process.env.BENCH_REPEAT ?? 3);
    const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String(bytes + MiB) } });
    const plain = await startBareServer(api.dataDir, { flush: false });
    const flushed = await startBareServer(api.dataDir, { flush: true });
    const apiUploadTask: ClientTask = {
      kind: 'upload',
      url: `${api.baseUrl}/api/folders/root/files`,
      headers: api.user.headers,
      sizeMiB,
      multipart: true,
    };
    const bareUploadTask = (url: string): ClientTask => ({
      kind: 'upload',
      url,
      headers: {},
      sizeMiB,
      multipart: false,
    });
    // The client runs in its own process; the server's RSS is this process's. Each run starts
    // with nothing dirty in the page cache: a run must not pay for the last one's writeback.
    const timed = async (task: ClientTask): Promise<Sample> => {
      await promisify(execFile)('sync');
      let result: ClientResult | undefined;
      const sample = await measure(async () => {
        result = await runClient(task);
      });
      if (!result) throw new Error('The bench client returned nothing.');
      return { ...sample, result };
    };
    const runs = {
      bareUpload: [] as Sample[],
      bareFlushUpload: [] as Sample[],
      apiUpload: [] as Sample[],
      bareDownload: [] as Sample[],
      apiDownload: [] as Sample[],
    };
    const fileIdOf = (upload: { result: ClientResult }) =>
      (JSON.parse(upload.result.body) as { files: { id: string }[] }).files[0]?.id ?? '';
    try {
      // Every upload writes a new file and removes it after its run, so each run finds the
      // same page cache: on a VM, writing into memory no one has touched yet costs several
      // times more than reusing pages a deleted file freed, and which case happened to run
      // after a delete would decide the ratio. A first, untimed upload frees such pages for
      // the first timed run. The cases take turns within each round, so a slow minute of a
      // shared machine slows all of them; each case's median run counts.
      await runClient(bareUploadTask(plain.url));
      await plain.removeFile();
      for (let round = 0; round < repeat; round++) {
        runs.bareUpload.push(await timed(bareUploadTask(plain.url)));
        await plain.removeFile();
        runs.bareFlushUpload.push(await timed(bareUploadTask(flushed.url)));
        await flushed.removeFile();
        const apiUpload = await timed(apiUploadTask);
        runs.apiUpload.push(apiUpload);
        await removeApiFile(api, fileIdOf(apiUpload));
      }
      await runClient(bareUploadTask(plain.url));
      const fileId = fileIdOf({ result: await runClient(apiUploadTask) });
      for (let round = 0; round < repeat; round++) {
        runs.bareDownload.push(await timed({ kind: 'download', url: plain.url, headers: {} }));
        runs.apiDownload.push(
          await timed({
            kind: 'download',
            url: `${api.baseUrl}/api/files/${fileId}/content`,
            headers: api.user.headers,
          }),
        );
      }
      for (const download of [...runs.bareDownload, ...runs.apiDownload]) {
        if (download.result.bytes !== bytes)
          throw new Error(`A download came back short: ${download.result.bytes} bytes.`);
      }
      const bareUpload = summarise(runs.bareUpload);
      const bareFlushUpload = summarise(runs.bareFlushUpload);
      const apiUpload = summarise(runs.apiUpload);
      const bareDownload = summarise(runs.bareDownload);
      const apiDownload = summarise(runs.apiDownload);
      const row = (
        name: string,
        sample: { seconds: number; rssGrowthBytes: number },
        baseline?: number,
      ) => ({
        case: name,
        'MiB/s': mibPerSecond(bytes, sample.seconds),
        seconds: sample.seconds,
        'ratio vs bare': baseline ? baseline / sample.seconds : 1,
        'peak RSS growth MiB': sample.rssGrowthBytes / MiB,
      });
      const rows: BenchRow[] = [
        row(`bare upload ${sizeMiB} MiB (pipe to disk)`, bareUpload),
        row('bare upload + fsync', bareFlushUpload, bareUpload.seconds),
        row('API upload (multipart, SHA-256, fsync, row)', apiUpload, bareUpload.seconds),
        row('API upload vs bare + fsync', apiUpload, bareFlushUpload.seconds),
        row(`bare download ${sizeMiB} MiB (pipe from disk)`, bareDownload),
        row('API download', apiDownload, bareDownload.seconds),
      ];
      return rows;
    } finally {
      await plain.close();
      await flushed.close();
      await api.close();
    }
  },
};
