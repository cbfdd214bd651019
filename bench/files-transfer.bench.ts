import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import type { ClientResult, ClientTask } from './client.process.js';
import { runClient, startBenchApp } from './files.bench-utils.js';

/** The comparison the issue sets: a bare Node server that only pipes the request to disk. */
const startBareServer = async (dir: string, { flush }: { flush: boolean }) => {
  const server = http.createServer((request, response) => {
    const target = join(dir, `bare-${flush ? 'flush' : 'plain'}.bin`);
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
    close: () => new Promise((r) => server.close(r)),
  };
};

const mibPerSecond = (bytes: number, seconds: number) => bytes / MiB / seconds;

export const bench: Bench = {
  name: 'files: upload/download of one large file through the API vs a bare Node server',
  run: async () => {
    const sizeMiB = Number(process.env.BENCH_SIZE_MB ?? 1024);
    const bytes = sizeMiB * MiB;
    const repeat = Number(process.env.BENCH_REPEAT ?? 3);
    const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String(bytes + MiB) } });
    const plain = await startBareServer(api.dataDir, { flush: false });
    const flushed = await startBareServer(api.dataDir, { flush: true });
    const rows: BenchRow[] = [];
    // The client runs in its own process; the server's RSS is this process's.
    // A shared machine is noisy: each case runs `repeat` times and the median run counts.
    const timedClient = async (task: ClientTask) => {
      const runs = [];
      for (let run = 0; run < repeat; run++) {
        let result: ClientResult | undefined;
        const sample = await measure(async () => {
          result = await runClient(task);
        });
        if (!result) throw new Error('The bench client returned nothing.');
        runs.push({ seconds: result.seconds, rssGrowthBytes: sample.rssGrowthBytes, result });
      }
      runs.sort((a, b) => a.seconds - b.seconds);
      const median = runs[Math.floor(runs.length / 2)];
      if (!median) throw new Error('BENCH_REPEAT must be at least 1.');
      return { ...median, rssGrowthBytes: Math.max(...runs.map((run) => run.rssGrowthBytes)) };
    };
    try {
      const bareUpload = await timedClient({
        kind: 'upload',
        url: plain.url,
        headers: {},
        sizeMiB,
        multipart: false,
      });
      const bareFlushUpload = await timedClient({
        kind: 'upload',
        url: flushed.url,
        headers: {},
        sizeMiB,
        multipart: false,
      });
      const apiUpload = await timedClient({
        kind: 'upload',
        url: `${api.baseUrl}/api/folders/root/files`,
        headers: api.user.headers,
        sizeMiB,
        multipart: true,
      });
      const fileId =
        (JSON.parse(apiUpload.result.body) as { files: { id: string }[] }).files[0]?.id ?? '';
      const bareDownload = await timedClient({ kind: 'download', url: plain.url, headers: {} });
      const apiDownload = await timedClient({
        kind: 'download',
        url: `${api.baseUrl}/api/files/${fileId}/content`,
        headers: api.user.headers,
      });
      for (const download of [bareDownload, apiDownload]) {
        if (download.result.bytes !== bytes)
          throw new Error(`A download came back short: ${download.result.bytes} bytes.`);
      }
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
      rows.push(
        row(`bare upload ${sizeMiB} MiB (pipe to disk)`, bareUpload),
        row('bare upload + fsync', bareFlushUpload, bareUpload.seconds),
        row('API upload (multipart, SHA-256, fsync, row)', apiUpload, bareUpload.seconds),
        row('API upload vs bare + fsync', apiUpload, bareFlushUpload.seconds),
        row(`bare download ${sizeMiB} MiB (pipe from disk)`, bareDownload),
        row('API download', apiDownload, bareDownload.seconds),
      );
    } finally {
      await plain.close();
      await flushed.close();
      await api.close();
    }
    return rows;
  },
};
