import { randomUUID } from 'node:crypto';
import { userActor, type Actor } from '../apps/server/src/modules/access/access.models.js';
import { authorizeNode } from '../apps/server/src/modules/access/access.usecases.js';
import { createFolder } from '../apps/server/src/modules/folders/folders.usecases.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import { fillLargeFolder } from '../apps/server/src/test-support/files-bench-support.js';
import { fixturesOf } from '../apps/server/src/test-support/fixtures.js';
import {
  analyze,
  insertShare,
  seqScansInRolePlan,
} from '../apps/server/src/test-support/sharing-bench-support.js';
import type { Bench, BenchRow } from './bench.types.js';
import { onEachBenchDatabase, percentile, type BenchApp } from './files.bench-utils.js';

const DEPTH = 50;
/** Levels of the chain shared with the sharee: nested shares, the strongest deepest. */
const SHARED_LEVELS = new Map<number, 'viewer' | 'editor'>([
  [1, 'viewer'],
  [10, 'viewer'],
  [25, 'editor'],
  [40, 'viewer'],
]);
/** Other people holding shares on every level, so each probe has to pick the sharee's out. */
const OTHER_GRANTEES = 5;
/** Rows in the nodes table besides the chain, so the planner sees a table worth indexing. */
const FILLER = 50_000;

/** A chain of `DEPTH` folders below the owner's root; returns their ids, top first. */
const buildChain = async (api: BenchApp) => {
  const deps = toFilesDeps(api.context);
  const owner = userActor(api.user.userId);
  const ids: string[] = [];
  let parentId = 'root';
  for (let level = 1; level <= DEPTH; level++) {
    const folder = await createFolder({ ...deps, actor: owner, parentId, name: `level ${level}` });
    ids.push(folder.id);
    parentId = folder.id;
  }
  return ids;
};

const runOn = async (label: string, api: BenchApp, rounds: number): Promise<BenchRow[]> => {
  const db = api.context.database.db;
  const fixtures = fixturesOf(api.context);
  const deps = toFilesDeps(api.context);
  const { id: fillerId } = await createFolder({
    ...deps,
    actor: userActor(api.user.userId),
    parentId: 'root',
    name: 'filler',
  });
  await fillLargeFolder(db, {
    ownerId: api.user.userId,
    folderId: fillerId,
    total: FILLER,
    folders: 0,
  });
  const chain = await buildChain(api);
  const sharee = await fixtures.newUser();
  const others = await Promise.all(
    Array.from({ length: OTHER_GRANTEES }, () => fixtures.newUser()),
  );
  for (const [level, nodeId] of chain.entries()) {
    const ownerId = api.user.userId;
    for (const other of others) {
      await insertShare(db, { nodeId, ownerId, grantee: other, role: 'viewer' });
    }
    const role = SHARED_LEVELS.get(level + 1);
    if (role) await insertShare(db, { nodeId, ownerId, grantee: sharee, role });
  }
  await analyze(db);
  const top = chain[0] ?? '';
  const deepest = chain.at(-1) ?? '';
  const shareeActor = userActor(sharee.userId);
  const linkActor: Actor = { kind: 'link', linkId: randomUUID(), nodeId: top, role: 'viewer' };

  const cases: { label: string; actor: Actor; id: string; expected: string }[] = [
    { label: 'sharee, depth 1 (baseline)', actor: shareeActor, id: top, expected: 'viewer' },
    { label: `sharee, depth ${DEPTH}`, actor: shareeActor, id: deepest, expected: 'editor' },
    { label: `viewer link, depth ${DEPTH}`, actor: linkActor, id: deepest, expected: 'viewer' },
    {
      label: `owner, depth ${DEPTH}`,
      actor: userActor(api.user.userId),
      id: deepest,
      expected: 'owner',
    },
  ];
  const samples = cases.map(() => [] as number[]);
  const resolve = async (index: number) => {
    const one = cases[index];
    if (!one) return;
    const started = performance.now();
    const { role } = await authorizeNode({ db, actor: one.actor, id: one.id, action: 'read' });
    samples[index]?.push(performance.now() - started);
    if (role !== one.expected) throw new Error(`${one.label}: ${role}, not ${one.expected}`);
  };
  for (let index = 0; index < cases.length; index++) await resolve(index); // warm-up
  samples.forEach((list) => list.splice(0));
  // In turns within each round, so a busy moment of the machine lands on every case alike.
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < cases.length; index++) await resolve(index);
  }
  const seqScans = await seqScansInRolePlan(db, { actor: shareeActor, nodeId: deepest });
  const baselineP99 = percentile(samples[0] ?? [], 99);
  return cases.map((one, index): BenchRow => {
    const p99 = percentile(samples[index] ?? [], 99);
    return {
      database: label,
      case: one.label,
      'p50 ms': percentile(samples[index] ?? [], 50),
      'p99 ms': p99,
      'p99 ratio vs depth 1': p99 / baselineP99,
      ...(index === 1 ? { 'seq scans in plan': seqScans } : {}),
    };
  });
};

export const bench: Bench = {
  name: `sharing: role resolution at depth ${DEPTH} under nested shares vs depth 1 (authorizeNode, ${FILLER.toLocaleString('en')} other nodes)`,
  run: async () => {
    const rounds = Number(process.env.BENCH_ROLE_ROUNDS ?? 2000);
    const rows: BenchRow[] = [];
    const reachedPostgres = await onEachBenchDatabase(async (database, app) => {
      rows.push(...(await runOn(database, app, rounds)));
    });
    if (!reachedPostgres) {
      rows.push({ database: 'PostgreSQL', case: 'skipped: no server at BENCH_DATABASE_URL' });
    }
    return rows;
  },
};
