import { randomBytes } from 'node:crypto';
import type { Bench } from './bench.types.js';
import { measure } from './bench.utils.js';
import { multipartParts, sendRequest, startBenchApp } from './files.bench-utils.js';

export const bench: Bench = {
  name: 'files: many small uploads with concurrent clients',
  run: async () => {
    const total = Number(process.env.BENCH_SMALL_FILES ?? 1000);
    const clients = Number(process.env.BENCH_CLIENTS ?? 8);
    const api = await startBenchApp();
    try {
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
      latencies.sort((a, b) => a - b);
      return [
        {
          case: `${total} × 1 KiB, ${clients} clients (PGlite + disk)`,
          'files/s': total / sample.seconds,
          'p50 ms': latencies[Math.floor(latencies.length / 2)] ?? 0,
          'p99 ms': latencies[Math.floor(latencies.length * 0.99)] ?? 0,
          'peak RSS growth MiB': sample.rssGrowthBytes / 1024 / 1024,
        },
      ];
    } finally {
      await api.close();
    }
  },
};
