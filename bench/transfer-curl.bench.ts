import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB } from './bench.utils.js';
import { startBenchApp } from './files.bench-utils.js';

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

/** nginx from Debian (nginx-light), or undefined with the reason when it is not installed. */
const findNginx = () =>
  ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));

const startNginx = async (binary: string, dir: string, file: string) => {
  const prefix = join(dir, 'nginx');
  await mkdir(join(prefix, 'logs'), { recursive: true });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const conf = join(prefix, 'nginx.conf');
  await writeFile(
    conf,
    // Started as root, nginx's worker would drop to nobody, who cannot read the 0700 data dir.
    `${process.getuid?.() === 0 ? 'user root; ' : ''}daemon off; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/logs/error.log;
events { worker_connections 64; }
http { access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path ${prefix}; proxy_temp_path ${prefix}; fastcgi_temp_path ${prefix};
  uwsgi_temp_path ${prefix}; scgi_temp_path ${prefix};
  server { listen 127.0.0.1:${port}; location = /file { alias ${file}; } } }
`,
  );
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', conf], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 50; attempt++) {
    const up = await run('curl', ['-sfI', `http://127.0.0.1:${port}/file`]).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `http://127.0.0.1:${port}/file`, close: () => child.kill() };
};

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
    const nginx = nginxBinary ? await startNginx(nginxBinary, api.dataDir, source) : undefined;
    const auth = Object.entries(api.user.headers).flatMap(([name, value]) => [
      '-H',
      `${name}: ${value}`,
    ]);
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
      const downloads = { api: [] as Sample[], bare: [] as Sample[], nginx: [] as Sample[] };
      type Sample = Awaited<ReturnType<typeof curl>>;
      for (let round = 0; round < repeat; round++) {
        downloads.bare.push(await curl([bare.url]));
        if (nginx) downloads.nginx.push(await curl([nginx.url]));
        downloads.api.push(await curl([...auth, `${api.baseUrl}/api/files/${fileId}/content`]));
      }
      for (const sample of [...downloads.api, ...downloads.bare, ...downloads.nginx]) {
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
      if (nginx) row('API download vs nginx', apiDownload, median(downloads.nginx).seconds);

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
      nginx?.close();
      await api.close();
    }
  },
};
