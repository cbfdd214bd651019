import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFolder } from '../apps/server/src/modules/folders/folders.usecases.js';
import { userActor } from '../apps/server/src/modules/access/access.models.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import { fixturesOf } from '../apps/server/src/test-support/fixtures.js';
import { startBareZipServer } from '../apps/server/src/test-support/sharing-bench-support.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, measure } from './bench.utils.js';
import type { ClientResult, ClientTask } from './client.process.js';
import { runClient, startBenchApp, type BenchApp } from './files.bench-utils.js';

/** `count` files of `fileMiB` each, uploaded through the use case the routes call, 4 at a time. */
const fillFolder = async (api: BenchApp, folderId: string, count: number, fileMiB: number) => {
  const fixtures = fixturesOf(api.context);
  const content = randomBytes(fileMiB * MiB);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      // Each file its own bytes: the index in front of the shared random MiB.
      const body = Buffer.from(content);
      body.writeUInt32BE(index, 0);
      await fixtures.newFile(
        { userId: api.user.userId, rootId: '' },
        { name: `file ${String(index).padStart(4, '0')}.bin`, content: body, folderId },
      );
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
};

type Sample = { seconds: number; rssGrowthBytes: number; bytes: number };

const median = (runs: Sample[]): Sample => {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('BENCH_REPEAT must be at least 1.');
  return { ...middle, rssGrowthBytes: Math.max(...runs.map((run) => run.rssGrowthBytes)) };
};

export const bench: Bench = {
  name: 'sharing: a folder of 1,000 × 1 MiB files as a zip (owner, sharee, viewer link) vs a bare streaming zip of the same files from disk',
  run: async () => {
    const count = Number(process.env.BENCH_ZIP_FILES ?? 1000);
    const fileMiB = Number(process.env.BENCH_ZIP_FILE_MIB ?? 1);
    const repeat = Number(process.env.BENCH_REPEAT ?? 3);
    const api = await startBenchApp();
    try {
      const deps = toFilesDeps(api.context);
      const db = api.context.database.db;
      const folder = await createFolder({
        ...deps,
        actor: userActor(api.user.userId),
        parentId: 'root',
        name: 'photos',
      });
      await fillFolder(api, folder.id, count, fileMiB);
      const sharee = await fixturesOf(api.context).newUser();
      const shared = await api.app.inject({
        method: 'POST',
        url: `/api/nodes/${folder.id}/shares`,
        headers: api.user.headers,
        payload: { email: sharee.email, role: 'viewer' },
      });
      if (shared.statusCode !== 201) throw new Error(`share: ${shared.body}`);
      const link = await api.app.inject({
        method: 'POST',
        url: `/api/nodes/${folder.id}/links`,
        headers: api.user.headers,
        payload: { role: 'viewer' },
      });
      if (link.statusCode !== 201) throw new Error(`link: ${link.body}`);
      const { token } = link.json<{ token: string }>();

      const rows = await db
        .selectFrom('nodes')
        .select(['name', 'blob_key', 'size', 'updated_at'])
        .where('parent_id', '=', folder.id)
        .orderBy('sort_key')
        .execute();
      const files = rows.map((row) => ({
        name: row.name,
        path: join(api.dataDir, 'blobs', ...(row.blob_key ?? '').split('/')),
        size: row.size,
        mtime: row.updated_at,
      }));
      const bare = await startBareZipServer(files, folder.name);
      const cases: { label: string; task: ClientTask }[] = [
        {
          label: 'bare streaming zip from disk',
          task: { kind: 'download', url: bare.url, headers: {} },
        },
        {
          label: 'API zip, owner',
          task: {
            kind: 'download',
            url: `${api.baseUrl}/api/folders/${folder.id}/zip`,
            headers: api.user.headers,
          },
        },
        {
          label: 'API zip, sharee (viewer)',
          task: {
            kind: 'download',
            url: `${api.baseUrl}/api/folders/${folder.id}/zip`,
            headers: sharee.headers,
          },
        },
        {
          label: 'API zip, viewer link',
          task: {
            kind: 'download',
            url: `${api.baseUrl}/api/s/${token}/folders/${folder.id}/zip`,
            headers: {},
          },
        },
      ];
      const runs = cases.map(() => [] as Sample[]);
      try {
        // One untimed pass reads every file once, so no case pays for a cold page cache alone.
        await runClient(cases[0]?.task ?? { kind: 'download', url: bare.url, headers: {} });
        // The cases take turns within each round, so a slow minute of a shared machine slows
        // all of them; each case's median run counts.
        for (let round = 0; round < repeat; round++) {
          for (const [index, { task }] of cases.entries()) {
            let result: ClientResult | undefined;
            const sample = await measure(async () => {
              result = await runClient(task);
            });
            runs[index]?.push({ ...sample, bytes: result?.bytes ?? 0 });
          }
        }
      } finally {
        await bare.close();
      }
      const payload = count * fileMiB * MiB;
      const summaries = runs.map(median);
      const baseline = summaries[0];
      return cases.map(({ label }, index): BenchRow => {
        const summary = summaries[index];
        if (!summary || !baseline) return { case: label };
        if (summary.bytes < payload) throw new Error(`${label}: only ${summary.bytes} bytes`);
        return {
          case: label,
          'MiB/s': summary.bytes / MiB / summary.seconds,
          seconds: summary.seconds,
          'throughput vs bare': baseline.seconds / summary.seconds,
          'peak RSS growth MiB': summary.rssGrowthBytes / MiB,
        };
      });
    } finally {
      await api.close();
    }
  },
};
