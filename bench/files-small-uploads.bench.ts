import { randomBytes } from 'node:crypto';
import type { Bench, BenchRow } from './bench.types.js';
import { measure } from './bench.utils.js';
import {
  createBenchPostgres,
  multipartParts,
  percentile,
  sendRequest,
  startBenchApp,
  type BenchApp,
} from './files.bench-utils.js';

const run = async (
  label: string,
  api: BenchApp,
  total: number,
  clients: number,
): Promise<BenchRow> => {
  let next = 0;
  const latencies: number[] = [];
  const client = async () => {
    while (next < total) {
      const index = next++;
      const { contentType, head, tail } = multipartParts(`small-${index}.bin`);
      const started = performance.now();
      const result = await sendRequest(`${api.baseUrl}/api/folders/root/files`, {
        method: 'POST',
        headers: { ...api.user.headers, 'content-type': contentType },
        body: Buffer.concat([head, randomBytes(1024), tail]),
      });
      if (result.status !== 201)
        throw new Error(`upload failed: ${result.status} ${result.body.toString()}`);
      latencies.push(performance.now() - started);
    }
  };
  const sample = await measure(async () => {
    await Promise.all(Array.from({ length: clients }, client));
  });
  return {
    case: `${total} × 1 KiB, ${clients} clients (${label})`,
    'files/s': total / sample.seconds,
    'p50 ms': percentile(latencies, 50),
    'p99 ms': percentile(latencies, 99),
    'peak RSS growth MiB': sample.rssGrowthBytes / 1024 / 1024,
  };
};

export const bench: Bench = {
  name: 'files: many small uploads with concurrent clients',
  run: async () => {
    const total = Number(process.env.BENCH_SMALL_FILES ?? 1000);
    const clients = Number(process.env.BENCH_CLIENTS ?? 8);
    const rows: BenchRow[] = [];
    const embedded = await startBenchApp();
    try {
      rows.push(await run('PGlite + disk', embedded, total, clients));
    } finally {
      await embedded.close();
    }
    const postgres = await createBenchPostgres();
    if (!postgres) {
      rows.push({ case: 'PostgreSQL + disk: skipped, no server at BENCH_DATABASE_URL' });
      return rows;
    }
    const api = await startBenchApp({ database: postgres.handle });
    try {
      rows.push(await run('PostgreSQL + disk', api, total, clients));
    } finally {
      await api.close();
      await postgres.drop();
    }
    return rows;
  },
};
