import type { Bench, BenchRow } from './bench.types.js';
import {
  createFolder,
  listFolderChildren,
} from '../apps/server/src/modules/folders/folders.usecases.js';
import { userActor } from '../apps/server/src/modules/access/access.models.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import {
  cursorNearTheEnd,
  explainDeepPage,
  fillLargeFolder,
} from '../apps/server/src/test-support/files-bench-support.js';
import { onEachBenchDatabase, percentile, type BenchApp } from './files.bench-utils.js';

const FOLDERS = 1000;

const runOn = async (
  label: string,
  api: BenchApp,
  total: number,
  rounds: number,
): Promise<BenchRow[]> => {
  const deps = toFilesDeps(api.context);
  const db = api.context.database.db;
  const { id: folderId } = await createFolder({
    ...deps,
    actor: userActor(api.user.userId),
    parentId: 'root',
    name: 'big',
  });
  await fillLargeFolder(db, { ownerId: api.user.userId, folderId, total, folders: FOLDERS });
  const { cursor, after } = await cursorNearTheEnd(db, { folderId, fromEnd: 150 });
  const time = async (pageCursor: string | undefined) => {
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const page = await listFolderChildren({
        ...deps,
        actor: userActor(api.user.userId),
        folderId,
        sort: 'name',
        order: 'asc',
        limit: 100,
        cursor: pageCursor,
      });
      samples.push(performance.now() - started);
      if (page.items.length === 0) throw new Error('empty page');
    }
    return samples;
  };
  await time(undefined); // warm-up
  const first = await time(undefined);
  const deep = await time(cursor);
  const plan = await explainDeepPage(db, { folderId, after });
  // The line that proves it: an index scan on the listing index, no Sort node.
  const planText = `${plan.find((line) => line.includes('Index')) ?? plan[0] ?? ''}${plan.some((line) => /\bSort\b/.test(line)) ? ' + SORT' : ''}`;
  const row = (page: string, samples: number[]) => ({
    database: label,
    entries: total,
    page,
    'p50 ms': percentile(samples, 50),
    'p99 ms': percentile(samples, 99),
    plan: page === 'page 1' ? '' : planText.replace(/\s*\(cost.*$/, ''),
  });
  return [row('page 1', first), row('near the end (page ~1,000)', deep)];
};

export const bench: Bench = {
  name: 'files: listing a folder of 100,000 entries (keyset pagination, 100 per page)',
  run: async () => {
    const total = Number(process.env.BENCH_LIST_ENTRIES ?? 100_000);
    const rounds = Number(process.env.BENCH_LIST_ROUNDS ?? 200);
    const rows: BenchRow[] = [];
    const reachedPostgres = await onEachBenchDatabase(async (database, app) => {
      rows.push(...(await runOn(database, app, total, rounds)));
    });
    if (!reachedPostgres) {
      rows.push({
        database: 'PostgreSQL',
        entries: total,
        page: 'skipped: no server at BENCH_DATABASE_URL',
      });
    }
    return rows;
  },
};
