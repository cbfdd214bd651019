import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB } from './bench.utils.js';
import {
  accelRedirectLocation,
  findNginx,
  startNginx,
} from '../apps/server/src/test-support/nginx.js';
import { startBenchApp, type BenchApp } from './files.bench-utils.js';

const run = promisify(execFile);
// The same read size as the disk store's downloads, so the bare server is a like-for-like floor.
const READ_CHUNK_BYTES = MiB;

/** The baseline: a bare Node server streaming one file out, or a PUT to disk with fsync. */
const startBareServer = async (file: string, uploadTarget: string) => {
  const server = http.createServer((request, response) => {
    if (request.method === 'PUT') {
      pipeline(request, createWriteStream(uploadTarget, { flush: true })).then(
        () => response.end('ok'),
        () => response.destroy(),
      );
      return;
    }
    response.setHeader('content-length', String(BENCH_BYTES.value));
    pipeline(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }), response).catch(() =>
      response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/file`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};
const BENCH_BYTES = { value: 0 };

/** One curl process; its own figures (seconds from start to the last byte) are the measure. */
const curl = async (args: string[]) => {
  await run('sync');
  const load = loadavg()[0] ?? 0;
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      '--fail',
      '-o',
      '/dev/null',
      '-w',
      '%{time_total} %{size_download} %{http_code}',
      ...args,
    ],
    { maxBuffer: MiB },
  );
  const [seconds, downloaded, status] = stdout.trim().split(' ');
  return { seconds: Number(seconds), downloaded: Number(downloaded), status, load };
};

const ACCEL_PREFIX = '/internal-blobs/';

/** Uploads `source` to `app` by curl; the new file's id. */
const uploadThrough = async (app: BenchApp, source: string) => {
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      '--fail',
      ...Object.entries(app.user.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      '-F',
      `file=@${source}`,
      `${app.baseUrl}/api/folders/root/files`,
    ],
    { maxBuffer: MiB },
  );
  return (JSON.parse(stdout) as { files: { id: string }[] }).files[0]?.id ?? '';
};

const median = <T extends { seconds: number }>(samples: T[]): T => {
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('BENCH_REPEAT must be at least 1.');
  return middle;
};

export const bench: Bench = {
  name: 'transfer (curl): one large file through the API vs bare Node and nginx sendfile',
  run: async () => {
    const sizeMiB = Number(process.env.BENCH_SIZE_MB ?? 1024);
    const bytes = sizeMiB * MiB;
    BENCH_BYTES.value = bytes;
    const repeat = Number(process.env.BENCH_REPEAT ?? 3);
    const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String(bytes + MiB) } });
    const source = join(api.dataDir, 'source.bin');
    const handle = await open(source, 'w');
    const block = Buffer.alloc(MiB);
    for (let i = 0; i < sizeMiB; i++) {
      block.writeUInt32LE(i, 0);
      await handle.write(block);
    }
    await handle.close();
    const bare = await startBareServer(source, join(api.dataDir, 'bare-upload.bin'));
    const nginxBinary = findNginx();
    // A second app behind nginx, answering whole downloads with X-Accel-Redirect.
    const accelApp = nginxBinary
      ? await startBenchApp({
          env: { MAX_UPLOAD_BYTES: String(bytes + MiB), DOWNLOAD_ACCEL_REDIRECT: ACCEL_PREFIX },
        })
      : undefined;
    const nginx =
      nginxBinary && accelApp
        ? await startNginx({
            binary: nginxBinary,
            dir: api.dataDir,
            locations: `
    location = /file { alias ${source}; }
    location / { proxy_pass ${accelApp.baseUrl}; }
    ${accelRedirectLocation({ prefix: ACCEL_PREFIX, root: join(accelApp.dataDir, 'blobs') })}`,
          })
        : undefined;
    const authOf = (app: BenchApp) =>
      Object.entries(app.user.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const auth = authOf(api);
    const rows: BenchRow[] = [];
    const row = (name: string, sample: { seconds: number; load: number }, baseline?: number) =>
      rows.push({
        case: name,
        'MiB/s': sizeMiB / sample.seconds,
        seconds: sample.seconds,
        ratio: baseline ? baseline / sample.seconds : 1,
        'load 1m': sample.load,
      });
    try {
      await curl([...auth, '-F', `file=@${source}`, `${api.baseUrl}/api/folders/root/files`]);
      const fileId = await (async () => {
        const listing = await api.app.inject({
          method: 'GET',
          url: '/api/folders/root/children?limit=1',
          headers: api.user.headers,
        });
        return listing.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
      })();
      const accelFileId = accelApp && nginx ? await uploadThrough(accelApp, source) : '';
      const downloads = {
        api: [] as Sample[],
        bare: [] as Sample[],
        nginx: [] as Sample[],
        accel: [] as Sample[],
      };
      type Sample = Awaited<ReturnType<typeof curl>>;
      for (let round = 0; round < repeat; round++) {
        downloads.bare.push(await curl([bare.url]));
        if (nginx) downloads.nginx.push(await curl([`${nginx.origin}/file`]));
        downloads.api.push(await curl([...auth, `${api.baseUrl}/api/files/${fileId}/content`]));
        if (nginx && accelApp) {
          downloads.accel.push(
            await curl([...authOf(accelApp), `${nginx.origin}/api/files/${accelFileId}/content`]),
          );
        }
      }
      const all = [...downloads.api, ...downloads.bare, ...downloads.nginx, ...downloads.accel];
      for (const sample of all) {
        if (sample.downloaded !== bytes)
          throw new Error(`A download came back short: ${sample.downloaded}.`);
      }
      const bareDownload = median(downloads.bare);
      row(`bare Node download ${sizeMiB} MiB (1 MiB reads)`, bareDownload);
      if (nginx) row('nginx sendfile download', median(downloads.nginx));
      else
        rows.push({
          case: 'nginx sendfile download: nginx not installed (apt-get install -y nginx-light)',
        });
      const apiDownload = median(downloads.api);
      row('API download vs bare Node', apiDownload, bareDownload.seconds);
      if (nginx) {
        row('API download vs nginx', apiDownload, median(downloads.nginx).seconds);
        row(
          'download via nginx X-Accel-Redirect vs nginx',
          median(downloads.accel),
          median(downloads.nginx).seconds,
        );
      }

      const uploads = { bare: [] as Sample[], multipart: [] as Sample[], tus: [] as Sample[] };
      for (let round = 0; round < repeat; round++) {
        uploads.bare.push(await curl(['-T', source, bare.url]));
        uploads.multipart.push(
          await curl([
            ...auth,
            '-F',
            `file=@${source}`,
            `${api.baseUrl}/api/folders/root/files?onConflict=rename`,
          ]),
        );
        // tus: create, then the whole file in one PATCH; the timing is the PATCH (and completion).
        const created = await run('curl', [
          '-sS',
          '--fail',
          '-D',
          '-',
          '-o',
          '/dev/null',
          '-X',
          'POST',
          ...auth,
          '-H',
          'tus-resumable: 1.0.0',
          '-H',
          `upload-length: ${bytes}`,
          '-H',
          `upload-metadata: filename ${Buffer.from(`tus-${round}.bin`).toString('base64')}`,
          `${api.baseUrl}/api/uploads`,
        ]);
        const location = /^location:\s*(\S+)/im.exec(created.stdout)?.[1] ?? '';
        uploads.tus.push(
          await curl([
            ...auth,
            '-X',
            'PATCH',
            '-H',
            'tus-resumable: 1.0.0',
            '-H',
            'upload-offset: 0',
            '-H',
            'content-type: application/offset+octet-stream',
            '-T',
            source,
            new URL(location, api.baseUrl).toString(),
          ]),
        );
        await rm(join(api.dataDir, 'bare-upload.bin'), { force: true });
      }
      const bareUpload = median(uploads.bare);
      const multipart = median(uploads.multipart);
      row(`bare Node upload ${sizeMiB} MiB + fsync`, bareUpload);
      row('API multipart upload vs bare + fsync', multipart, bareUpload.seconds);
      row('API tus upload (1 PATCH) vs multipart', median(uploads.tus), multipart.seconds);
      return rows;
    } finally {
      await bare.close();
      await nginx?.close();
      await accelApp?.close();
      await api.close();
    }
  },
};
