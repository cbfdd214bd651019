import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, generatedMiBStream, measure } from './bench.utils.js';
import { drainRequest, multipartParts, sendRequest, startBenchApp } from './files.bench-utils.js';

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
    const chunk = randomBytes(MiB);
    const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String(bytes + MiB) } });
    const plain = await startBareServer(api.dataDir, { flush: false });
    const flushed = await startBareServer(api.dataDir, { flush: true });
    const rows: BenchRow[] = [];
    try {
      const bareUpload = await measure(async () => {
        const result = await sendRequest(plain.url, {
          method: 'PUT',
          headers: { 'content-length': String(bytes) },
          body: generatedMiBStream(sizeMiB, chunk),
          fresh: true,
        });
        if (result.status !== 200) throw new Error(`bare upload failed: ${result.status}`);
      });
      const bareFlushUpload = await measure(async () => {
        await sendRequest(flushed.url, {
          method: 'PUT',
          headers: { 'content-length': String(bytes) },
          body: generatedMiBStream(sizeMiB, chunk),
          fresh: true,
        });
      });
      let fileId = '';
      const apiUpload = await measure(async () => {
        const { contentType, head, tail } = multipartParts('big.bin');
        async function* body() {
          yield head;
          yield* generatedMiBStream(sizeMiB, chunk) as AsyncIterable<Buffer>;
          yield tail;
        }
        const result = await sendRequest(`${api.baseUrl}/api/folders/root/files`, {
          method: 'POST',
          headers: {
            ...api.user.headers,
            'content-type': contentType,
            'content-length': String(head.length + bytes + tail.length),
          },
          body: body(),
          fresh: true,
        });
        if (result.status !== 201)
          throw new Error(`API upload failed: ${result.status} ${result.body.toString()}`);
        fileId =
          (JSON.parse(result.body.toString()) as { files: { id: string }[] }).files[0]?.id ?? '';
      });
      const bareDownload = await measure(async () => {
        if ((await drainRequest(plain.url, {})) !== bytes) throw new Error('bare download short');
      });
      const apiDownload = await measure(async () => {
        const got = await drainRequest(
          `${api.baseUrl}/api/files/${fileId}/content`,
          api.user.headers,
        );
        if (got !== bytes) throw new Error(`API download short: ${got}`);
      });
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
