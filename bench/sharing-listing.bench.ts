import {
  createFolder,
  listFolderChildren,
} from '../apps/server/src/modules/folders/folders.usecases.js';
import { userActor, type Actor } from '../apps/server/src/modules/access/access.models.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import { listSharedWithMe } from '../apps/server/src/modules/sharing/sharing.usecases.js';
import {
  cursorNearTheEnd,
  fillLargeFolder,
} from '../apps/server/src/test-support/files-bench-support.js';
import { fixturesOf } from '../apps/server/src/test-support/fixtures.js';
import { shareEveryFileOf } from '../apps/server/src/test-support/sharing-bench-support.js';
import type { Bench, BenchRow } from './bench.types.js';
import { onEachBenchDatabase, percentile, type BenchApp } from './files.bench-utils.js';

const FOLDERS = 1000;
const PAGE = 100;

type Sampled = { label: string; samples: number[] };

/**
 * Each case's pages are timed in turns within every round (owner, then sharee, then the next
 * case), so a slow moment of a shared machine lands on all of them alike.
 */
const timeInTurns = async (
  cases: { label: string; list: () => Promise<number> }[],
  rounds: number,
): Promise<Sampled[]> => {
  const sampled = cases.map(({ label }) => ({ label, samples: [] as number[] }));
  for (const { list } of cases) await list(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [index, { list }] of cases.entries()) {
      const started = performance.now();
      const count = await list();
      sampled[index]?.samples.push(performance.now() - started);
      if (count === 0) throw new Error('empty page');
    }
  }
  return sampled;
};

const runOn = async (label: string, api: BenchApp, total: number, rounds: number) => {
  const deps = toFilesDeps(api.context);
  const db = api.context.database.db;
  const fixtures = fixturesOf(api.context);
  const folderSharee = await fixtures.newUser();
  const fileSharee = await fixtures.newUser();
  const owner = userActor(api.user.userId);
  const { id: folderId } = await createFolder({
    ...deps,
    actor: owner,
    parentId: 'root',
    name: 'big',
  });
  await fillLargeFolder(db, { ownerId: api.user.userId, folderId, total, folders: FOLDERS });
  const shared = await api.app.inject({
    method: 'POST',
    url: `/api/nodes/${folderId}/shares`,
    headers: api.user.headers,
    payload: { email: folderSharee.email, role: 'viewer' },
  });
  if (shared.statusCode !== 201) throw new Error(`share: ${shared.body}`);
  const sharedDeepCursor = await shareEveryFileOf(db, {
    folderId,
    grantee: fileSharee,
    fromEnd: 150,
  });
  const { cursor: folderDeepCursor } = await cursorNearTheEnd(db, { folderId, fromEnd: 150 });

  const listFolder = (actor: Actor, cursor: string | undefined) => async () =>
    (
      await listFolderChildren({
        ...deps,
        actor,
        folderId,
        sort: 'name',
        order: 'asc',
        limit: PAGE,
        cursor,
      })
    ).items.length;
  const listShared = (cursor: string | undefined) => async () =>
    (await listSharedWithMe({ db, actor: userActor(fileSharee.userId), cursor, limit: PAGE })).items
      .length;
  const sharee = userActor(folderSharee.userId);
  const [ownerFirst, shareeFirst, sharedFirst, ownerDeep, shareeDeep, sharedDeep] =
    await timeInTurns(
      [
        { label: 'owner, page 1', list: listFolder(owner, undefined) },
        { label: 'sharee, page 1', list: listFolder(sharee, undefined) },
        { label: 'Shared with me, page 1', list: listShared(undefined) },
        { label: 'owner, near the end', list: listFolder(owner, folderDeepCursor) },
        { label: 'sharee, near the end', list: listFolder(sharee, folderDeepCursor) },
        { label: 'Shared with me, near the end', list: listShared(sharedDeepCursor) },
      ],
      rounds,
    );
  const row = (sampled: Sampled | undefined, baseline?: Sampled): BenchRow => {
    const p99 = percentile(sampled?.samples ?? [], 99);
    return {
      database: label,
      case: sampled?.label ?? '',
      'p50 ms': percentile(sampled?.samples ?? [], 50),
      'p99 ms': p99,
      ...(baseline ? { 'p99 ratio vs owner': p99 / percentile(baseline.samples, 99) } : {}),
    };
  };
  return [
    row(ownerFirst),
    row(shareeFirst, ownerFirst),
    row(sharedFirst, ownerFirst),
    row(ownerDeep),
    row(shareeDeep, ownerDeep),
    row(sharedDeep, ownerDeep),
  ];
};

export const bench: Bench = {
  name: `sharing: a shared folder of 100,000 entries listed by a sharee, and "Shared with me" of as many shares, vs the owner listing the folder (${PAGE} per page)`,
  run: async () => {
    const total = Number(process.env.BENCH_LIST_ENTRIES ?? 100_000);
    const rounds = Number(process.env.BENCH_LIST_ROUNDS ?? 200);
    const rows: BenchRow[] = [];
    const reachedPostgres = await onEachBenchDatabase(async (database, app) => {
      rows.push(...(await runOn(database, app, total, rounds)));
    });
    if (!reachedPostgres) {
      rows.push({ database: 'PostgreSQL', case: 'skipped: no server at BENCH_DATABASE_URL' });
    }
    return rows;
  },
};
