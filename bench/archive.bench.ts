import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { createJobWorker } from '../apps/server/src/job-queue/jobs.worker.js';
import { createJobHandlers } from '../apps/server/src/app/job-registry.js';
import { createFolderVia } from '../apps/server/src/modules/nodes/nodes.test-utils.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import { onEachBenchDatabase, runClient, type BenchApp } from './files.bench-utils.js';

const KiB = 1024;

const syncDir = async (dir: string) => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * The baseline: the same bytes moved as durably as the stores do (temp file, fsync, rename,
 * fsync of the directory), one file after another, with no database, job queue or hashing.
 * Target directories are made when missing, as the stores do for their `ab/cd/` key levels.
 */
const durableCopies = async (
  { pairs, tmp }: { pairs: readonly { from: string; to: string }[]; tmp: string },
  transform: () => NodeJS.ReadWriteStream,
) => {
  for (const [index, { from, to }] of pairs.entries()) {
    const part = join(tmp, `${index}.part`);
    await pipeline(createReadStream(from), transform(), createWriteStream(part, { flush: true }));
    await mkdir(dirname(to), { recursive: true });
    await rename(part, to);
    await syncDir(dirname(to));
  }
};

type Figures = { files: number; bytes: number; seconds: number };

const row = (name: string, figures: Figures, baselineSeconds?: number): BenchRow => ({
  case: name,
  'files/s': figures.files / figures.seconds,
  'MiB/s': figures.bytes / MiB / figures.seconds,
  seconds: figures.seconds,
  ...(baselineSeconds ? { 'ratio vs bare': baselineSeconds / figures.seconds } : {}),
});

/** POSTs the request, then runs the queue until the job is done, as one timed step. */
const timeJob = async (api: BenchApp, url: string) => {
  const worker = createJobWorker({
    db: api.context.database.db,
    handlers: await createJobHandlers(api.context),
    logger: api.context.logger,
  });
  let jobId = '';
  const { seconds } = await measure(async () => {
    const response = await api.app.inject({
      method: 'POST',
      url,
      headers: api.user.headers,
      payload: {},
    });
    if (response.statusCode !== 202) throw new Error(`${url} answered ${response.body}`);
    jobId = response.json<{ job: { id: string } }>().job.id;
    await worker.runUntilIdle();
  });
  const job = await api.app.inject({ url: `/api/jobs/${jobId}`, headers: api.user.headers });
  const status = job.json<{ job: { status: string; error: string | null } }>().job;
  if (status.status !== 'done') throw new Error(`The job ended ${status.status}: ${status.error}`);
  return seconds;
};

const runCase = async (label: string, api: BenchApp, files: number, fileBytes: number) => {
  const folderId = (await createFolderVia(api.app, api.user, { name: 'bench' })).id;
  await runClient({
    kind: 'small-uploads',
    url: `${api.baseUrl}/api/folders/${folderId}/files`,
    headers: api.user.headers,
    total: files,
    clients: 8,
    namePrefix: 'cold',
    fileBytes,
  });
  const keys = await api.context.database.db
    .selectFrom('nodes')
    .select('blob_key')
    .where('parent_id', '=', folderId)
    .execute();
  if (keys.length !== files) throw new Error(`${keys.length} files uploaded, not ${files}.`);

  const bareDir = await mkdtemp(join(api.dataDir, 'bare-'));
  const gzDir = join(bareDir, 'gz');
  const backDir = join(bareDir, 'back');
  const tmp = join(bareDir, 'tmp');
  for (const dir of [gzDir, backDir, tmp]) await mkdir(dir);
  const hotPaths = keys.map(({ blob_key }) =>
    join(api.dataDir, 'blobs', ...(blob_key ?? '').split('/')),
  );
  const gzPaths = keys.map((_, index) => join(gzDir, `${index}.gz`));
  const gzip = () => createGzip({ level: 6 });
  const bareArchive = await measure(() =>
    durableCopies(
      { pairs: hotPaths.map((from, index) => ({ from, to: gzPaths[index] ?? '' })), tmp },
      gzip,
    ),
  );
  // The same into the cold store's layout: most keys need their two directory levels made.
  const keyedDir = join(bareDir, 'keyed');
  const bareKeyedArchive = await measure(() =>
    durableCopies(
      {
        pairs: keys.map(({ blob_key }, index) => ({
          from: hotPaths[index] ?? '',
          to: `${join(keyedDir, ...(blob_key ?? '').split('/'))}.gz`,
        })),
        tmp,
      },
      gzip,
    ),
  );
  const bareRestore = await measure(() =>
    durableCopies(
      { pairs: gzPaths.map((from, index) => ({ from, to: join(backDir, String(index)) })), tmp },
      createGunzip,
    ),
  );
  await rm(bareDir, { recursive: true, force: true });

  const archiveSeconds = await timeJob(api, `/api/folders/${folderId}/archive`);
  const restoreSeconds = await timeJob(api, `/api/folders/${folderId}/restore`);
  const figures = (seconds: number) => ({ files, bytes: files * fileBytes, seconds });
  return [
    row(`bare: read + gzip + write + fsync (${label})`, figures(bareArchive.seconds)),
    row(`archive job to done (${label})`, figures(archiveSeconds), bareArchive.seconds),
    row(`bare, into ab/cd/ key directories (${label})`, figures(bareKeyedArchive.seconds)),
    row(`archive job vs that (${label})`, figures(archiveSeconds), bareKeyedArchive.seconds),
    row(`bare: read + gunzip + write + fsync (${label})`, figures(bareRestore.seconds)),
    row(`restore job to done (${label})`, figures(restoreSeconds), bareRestore.seconds),
  ];
};

export const bench: Bench = {
  name: 'archive: a folder of many files to the cold tier and back, vs bare durable copies',
  run: async () => {
    const files = Number(process.env.BENCH_ARCHIVE_FILES ?? 1000);
    const fileBytes = Number(process.env.BENCH_ARCHIVE_FILE_KIB ?? 64) * KiB;
    const rows: BenchRow[] = [];
    const reachedPostgres = await onEachBenchDatabase(async (database, app) => {
      rows.push(...(await runCase(`${database} + disk`, app, files, fileBytes)));
    });
    if (!reachedPostgres)
      rows.push({ case: 'PostgreSQL + disk: skipped, no server at BENCH_DATABASE_URL' });
    return rows;
  },
};
