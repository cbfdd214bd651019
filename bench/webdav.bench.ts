import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPersonalToken } from '../apps/server/src/modules/auth/auth.test-utils.js';
import { resolveLivePath } from '../apps/server/src/modules/nodes/nodes.repository.js';
import { runQueuedJobs } from '../apps/server/src/test-support/run-queued-jobs.js';
import { fillLargeFolder } from '../apps/server/src/test-support/files-bench-support.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import type { ClientResult, ClientTask } from './client.process.js';
import {
  onEachBenchDatabase,
  percentile,
  runClient,
  startBenchApp,
  type BenchApp,
} from './files.bench-utils.js';
import { removeApiFile, startBareServer, summarise, type Sample } from './files-transfer.bench.js';

const run = promisify(execFile);

/** The Basic header a WebDAV client sends: the account email and an app password. */
const davAuthorization = async (api: BenchApp) => {
  const token = await createPersonalToken(api.app, api.user, ['read', 'write']);
  return {
    token,
    authorization: `Basic ${Buffer.from(`${api.user.email}:${token}`).toString('base64')}`,
  };
};

/** Empties the trash and lets its purge job delete the blobs, so each run finds the same disk. */
const purgeTrash = async (api: BenchApp) => {
  await api.app.inject({ method: 'DELETE', url: '/api/trash', headers: api.user.headers });
  await runQueuedJobs(api.context);
};

const timed = async (task: ClientTask): Promise<Sample> => {
  // Nothing dirty in the page cache: a run must not pay for the last one's writeback.
  await run('sync');
  let result: ClientResult | undefined;
  const sample = await measure(async () => {
    result = await runClient(task);
  });
  if (!result) throw new Error('The bench client returned nothing.');
  return { ...sample, result };
};

/** 1 GiB PUT over WebDAV against the REST multipart upload, GET against a bare Node pipe. */
const transfers = async (): Promise<BenchRow[]> => {
  const sizeMiB = Number(process.env.BENCH_SIZE_MB ?? 1024);
  const bytes = sizeMiB * MiB;
  const repeat = Number(process.env.BENCH_REPEAT ?? 3);
  const api = await startBenchApp({ env: { MAX_UPLOAD_BYTES: String(bytes + MiB) } });
  const bare = await startBareServer(api.dataDir, { flush: false });
  try {
    const { authorization } = await davAuthorization(api);
    const restUpload: ClientTask = {
      kind: 'upload',
      url: `${api.baseUrl}/api/folders/root/files`,
      headers: api.user.headers,
      sizeMiB,
      multipart: true,
    };
    const davUpload: ClientTask = {
      kind: 'upload',
      url: `${api.baseUrl}/dav/big.bin`,
      headers: { authorization },
      sizeMiB,
      multipart: false,
    };
    const runs = {
      restUpload: [] as Sample[],
      davUpload: [] as Sample[],
      bareDownload: [] as Sample[],
      restDownload: [] as Sample[],
      davDownload: [] as Sample[],
    };
    const fileIdOf = (sample: Sample) =>
      (JSON.parse(sample.result.body) as { files: { id: string }[] }).files[0]?.id ?? '';
    // An untimed upload first, so the first timed run reuses freed pages as the others do; the
    // cases then take turns within each round (see files-transfer.bench.ts for why).
    await removeApiFile(api, fileIdOf(await timed(restUpload)));
    for (let round = 0; round < repeat; round++) {
      const rest = await timed(restUpload);
      runs.restUpload.push(rest);
      await removeApiFile(api, fileIdOf(rest));
      runs.davUpload.push(await timed(davUpload));
      await api.app.inject({ method: 'DELETE', url: '/dav/big.bin', headers: { authorization } });
      await purgeTrash(api);
    }
    await runClient({ ...davUpload, url: bare.url });
    await runClient(davUpload);
    const kept = (
      await api.app.inject({
        method: 'GET',
        url: '/api/nodes/by-path?path=/big.bin',
        headers: api.user.headers,
      })
    ).json<{ id: string }>();
    for (let round = 0; round < repeat; round++) {
      runs.bareDownload.push(await timed({ kind: 'download', url: bare.url, headers: {} }));
      runs.restDownload.push(
        await timed({
          kind: 'download',
          url: `${api.baseUrl}/api/files/${kept.id}/content`,
          headers: api.user.headers,
        }),
      );
      runs.davDownload.push(
        await timed({
          kind: 'download',
          url: `${api.baseUrl}/dav/big.bin`,
          headers: { authorization },
        }),
      );
    }
    for (const download of [...runs.bareDownload, ...runs.restDownload, ...runs.davDownload]) {
      if (download.result.bytes !== bytes)
        throw new Error(`A download came back short: ${download.result.bytes} bytes.`);
    }
    const restUp = summarise(runs.restUpload);
    const davUp = summarise(runs.davUpload);
    const bareDown = summarise(runs.bareDownload);
    const restDown = summarise(runs.restDownload);
    const davDown = summarise(runs.davDownload);
    const row = (
      name: string,
      sample: { seconds: number; rssGrowthBytes: number },
      baseline: { label: string; seconds: number } | undefined,
      target: number | undefined,
    ) => ({
      case: name,
      'MiB/s': bytes / MiB / sample.seconds,
      ratio: baseline ? `${(baseline.seconds / sample.seconds).toFixed(2)}× ${baseline.label}` : '',
      target: target ? `≥ ${target}×` : '',
      'peak RSS growth MiB': sample.rssGrowthBytes / MiB,
    });
    const restUpBaseline = { label: 'REST upload', seconds: restUp.seconds };
    const bareBaseline = { label: 'bare pipe', seconds: bareDown.seconds };
    return [
      row(`REST multipart upload ${sizeMiB} MiB`, restUp, undefined, undefined),
      row(`WebDAV PUT ${sizeMiB} MiB`, davUp, restUpBaseline, 0.95),
      row(`bare Node pipe from disk ${sizeMiB} MiB`, bareDown, undefined, undefined),
      row('REST download', restDown, bareBaseline, undefined),
      row('WebDAV GET', davDown, bareBaseline, 0.9),
    ];
  } finally {
    await bare.close();
    await api.close();
  }
};

/**
 * PROPFIND Depth 1 of a folder of 10,000 entries (allprop, as most clients ask), by curl in a
 * process of its own, against the floor: one SELECT of the same rows, no XML, no HTTP.
 */
const propfind = async (): Promise<BenchRow[]> => {
  const entries = Number(process.env.BENCH_DAV_ENTRIES ?? 10_000);
  const rounds = Number(process.env.BENCH_DAV_ROUNDS ?? 7);
  const rows: BenchRow[] = [];
  const reachedPostgres = await onEachBenchDatabase(async (database, api) => {
    const { authorization } = await davAuthorization(api);
    await api.app.inject({ method: 'MKCOL', url: '/dav/Big', headers: { authorization } });
    const db = api.context.database.db;
    const folder = (await resolveLivePath(db, { ownerId: api.user.userId, names: ['Big'] })).at(-1);
    if (!folder) throw new Error('MKCOL made no folder.');
    await fillLargeFolder(db, {
      ownerId: api.user.userId,
      folderId: folder.id,
      total: entries,
      folders: 100,
    });
    const curl = async () => {
      const { stdout } = await run('curl', [
        '-sS',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{time_total} %{size_download}',
        '-X',
        'PROPFIND',
        '-H',
        'depth: 1',
        '-H',
        `authorization: ${authorization}`,
        `${api.baseUrl}/dav/Big/`,
      ]);
      const [status, seconds, size] = stdout.trim().split(' ');
      if (status !== '207') throw new Error(`PROPFIND answered ${status}.`);
      return { ms: Number(seconds) * 1000, bytes: Number(size) };
    };
    const select = async () => {
      const started = performance.now();
      await db
        .selectFrom('nodes')
        .selectAll()
        .where('parent_id', '=', folder.id)
        .where('trashed_at', 'is', null)
        .orderBy('name_key')
        .execute();
      return performance.now() - started;
    };
    await curl(); // warm-up
    await select();
    const times: number[] = [];
    const cpu: number[] = [];
    const floor: number[] = [];
    let bytes = 0;
    for (let round = 0; round < rounds; round++) {
      const before = process.cpuUsage();
      const answer = await curl();
      const used = process.cpuUsage(before);
      times.push(answer.ms);
      cpu.push((used.user + used.system) / 1000);
      bytes = answer.bytes;
      floor.push(await select());
    }
    const p50 = percentile(times, 50);
    rows.push({
      case: `PROPFIND Depth 1, ${entries} entries, allprop (${database})`,
      'p50 ms': p50,
      'p99 ms': percentile(times, 99),
      'server CPU ms': percentile(cpu, 50),
      'body MiB': bytes / MiB,
      ratio: `${(percentile(floor, 50) / p50).toFixed(2)}× one SELECT of the rows (${percentile(floor, 50).toFixed(0)} ms)`,
      target:
        database === 'PostgreSQL'
          ? `< 300 ms: ${(p50 / 300).toFixed(2)}× the budget (${p50 < 300 ? 'met' : 'missed'})`
          : '',
    });
  });
  if (!reachedPostgres)
    rows.push({ case: 'PROPFIND on PostgreSQL: skipped, no server at BENCH_DATABASE_URL' });
  return rows;
};

/** `rclone copy` of many small files over WebDAV against REST small uploads in the same run. */
const rcloneSmallFiles = async (): Promise<BenchRow[]> => {
  const total = Number(process.env.BENCH_DAV_SMALL_FILES ?? 1000);
  // rclone's default: 4 transfers at once; the REST client gets as many.
  const transfers = 4;
  const api = await startBenchApp();
  const dir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'rclone-bench-'));
  try {
    const { token } = await davAuthorization(api);
    const local = join(dir, 'local');
    for (let i = 0; i < total; i++) {
      const sub = join(local, `d${i % 10}`);
      if (i < 10) await mkdir(sub, { recursive: true });
      await writeFile(join(sub, `f${i}.bin`), Buffer.alloc(4096, i % 251));
    }
    const rest: ClientTask = {
      kind: 'small-uploads',
      url: `${api.baseUrl}/api/folders/root/files`,
      headers: api.user.headers,
      total,
      clients: transfers,
      namePrefix: 'rest',
      fileBytes: 4096,
    };
    await runClient({ ...rest, total: Math.min(200, total), namePrefix: 'warm-up' });
    const restResult = await runClient(rest);
    const { stdout: obscured } = await run('rclone', ['obscure', token]);
    const env = {
      ...process.env,
      RCLONE_CONFIG_MYFILE_TYPE: 'webdav',
      RCLONE_CONFIG_MYFILE_URL: `${api.baseUrl}/dav/`,
      RCLONE_CONFIG_MYFILE_VENDOR: 'other',
      RCLONE_CONFIG_MYFILE_USER: api.user.email,
      RCLONE_CONFIG_MYFILE_PASS: obscured.trim(),
    };
    const rclone = (...args: string[]) =>
      run('rclone', ['--config', join(dir, 'none.conf'), `--transfers=${transfers}`, ...args], {
        env,
      });
    await rclone('copy', join(local, 'd0'), 'myfile:warm-up');
    const started = performance.now();
    await rclone('copy', local, 'myfile:copy');
    const seconds = (performance.now() - started) / 1000;
    const restRate = total / restResult.seconds;
    const davRate = total / seconds;
    return [
      {
        case: `REST multipart uploads, ${total} × 4 KiB, ${transfers} at once`,
        'files/s': restRate,
        ratio: '',
      },
      {
        case: `rclone copy over WebDAV, ${total} × 4 KiB, --transfers ${transfers}`,
        'files/s': davRate,
        ratio: `${(davRate / restRate).toFixed(2)}× REST`,
      },
    ];
  } finally {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  }
};

export const bench: Bench = {
  name: 'webdav: 1 GiB PUT/GET, PROPFIND of 10,000 entries, rclone copy of small files',
  run: async () => {
    const only = process.env.BENCH_DAV_CASES?.split(',') ?? ['transfer', 'propfind', 'rclone'];
    const rows: BenchRow[] = [];
    if (only.includes('transfer')) rows.push(...(await transfers()));
    if (only.includes('propfind')) rows.push(...(await propfind()));
    if (only.includes('rclone')) rows.push(...(await rcloneSmallFiles()));
    return rows;
  },
};
