import { searchMyFiles } from '../apps/server/src/modules/search/search.usecases.js';
import { ensureUserSpace, toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import {
  explainSearch,
  fillSearchNames,
  fillSearchTexts,
  lookupNodeById,
  searchBenchWords,
} from '../apps/server/src/test-support/search-bench-support.js';
import type { Bench, BenchRow } from './bench.types.js';
import { onEachBenchDatabase, percentile } from './files.bench-utils.js';

/** 100,000 names fill and index in well under a minute on PGlite; BENCH_SEARCH_FILES=1000000 for the target. */
const FILES = Number(process.env.BENCH_SEARCH_FILES ?? 100_000);
const TEXTS = Number(process.env.BENCH_SEARCH_TEXTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 50);
/** `PostgreSQL` or `PGlite` measures that one only: a million names take PGlite a long while. */
const ONLY = process.env.BENCH_SEARCH_DATABASE;
const timeIt = async (samples: number[], run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  samples.push(performance.now() - started);
};

export const bench: Bench = {
  name: `search: name over ${FILES.toLocaleString('en')} files and content over ${TEXTS.toLocaleString('en')} text files of one user (PGlite, PostgreSQL)`,
  run: async () => {
    const rows: BenchRow[] = [];
    const reachedPostgres = await onEachBenchDatabase(async (database, api) => {
      if (ONLY && ONLY !== database) return;
      const db = api.context.database.db;
      const deps = { ...toFilesDeps(api.context), language: 'simple' };
      const ownerId = api.user.userId;
      const root = await ensureUserSpace({ ...deps, ownerId });
      let started = performance.now();
      await fillSearchNames(db, { ownerId, rootId: root.id, files: FILES });
      const fillNamesSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      await fillSearchTexts(db, { ownerId, rootId: root.id, texts: TEXTS });
      const fillTextsSeconds = (performance.now() - started) / 1000;
      const { names: words, text: vocabulary } = await searchBenchWords(db);
      const typo = (w: string) => `${w.slice(0, 3)}${w[4] ?? ''}${w[3] ?? ''}${w.slice(5)}`;
      const search = (q: string) => () =>
        searchMyFiles({ ...deps, ownerId, q, limit: 50, filters: { includeTrash: false } });
      const cases: { label: string; run: () => Promise<unknown> }[] = [
        {
          label: 'primary-key lookup of one file (baseline)',
          run: () => lookupNodeById(db, root.id),
        },
        ...words.map((w) => ({ label: `name substring "${w}"`, run: search(w) })),
        ...words.map((w) => ({ label: `name with one typo "${typo(w)}"`, run: search(typo(w)) })),
        { label: 'name substring "99999"', run: search('99999') },
        { label: `content word "${vocabulary}"`, run: search(vocabulary) },
      ];
      const samples = cases.map(() => [] as number[]);
      for (const one of cases) await one.run();
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, one] of cases.entries()) await timeIt(samples[index] ?? [], one.run);
      }
      for (const q of [words[0] ?? '', typo(words[0] ?? '')]) {
        console.log(`${database}: plan of the search statement for "${q}":`);
        for (const line of await explainSearch(db, { ownerId, q, language: deps.language }))
          console.log(`  ${line}`);
      }
      const baseline = percentile(samples[0] ?? [], 99);
      for (const [index, one] of cases.entries()) {
        const p99 = percentile(samples[index] ?? [], 99);
        rows.push({
          database,
          case: one.label,
          'p50 ms': percentile(samples[index] ?? [], 50),
          'p99 ms': p99,
          'p99 ratio vs baseline': p99 / baseline,
        });
      }
      rows.push({
        database,
        case: `fill: ${FILES.toLocaleString('en')} names ${fillNamesSeconds.toFixed(0)} s, ${TEXTS.toLocaleString('en')} texts ${fillTextsSeconds.toFixed(0)} s`,
      });
    });
    if (!reachedPostgres)
      rows.push({ case: 'PostgreSQL skipped: no server at BENCH_DATABASE_URL' });
    return rows;
  },
};
