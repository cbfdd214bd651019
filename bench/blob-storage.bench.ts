import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createFsBlobStorage } from '../apps/server/src/blob-storage/drivers/fs/fs.blob-storage.js';
import type { Bench, BenchRow } from './bench.types.js';
import { MiB, generatedMiBStream, measure, nullSink } from './bench.utils.js';

/** `prepare` runs untimed before each round, so every timed write goes to a fresh file. */
type Case = {
  name: string;
  baseline?: string;
  prepare?: () => Promise<void>;
  run: () => Promise<void>;
};
type Sample = { seconds: number; rssGrowthBytes: number };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const bench: Bench = {
  name: 'blob-storage (fs driver vs plain fs)',
  run: async () => {
    const sizeMiB = Number(process.env.BENCH_SIZE_MB ?? 1024);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    if (!Number.isInteger(sizeMiB) || sizeMiB <= 0)
      throw new Error('BENCH_SIZE_MB must be a positive integer.');
    if (!Number.isInteger(rounds) || rounds <= 0)
      throw new Error('BENCH_ROUNDS must be a positive integer.');
    const chunk = randomBytes(MiB);
    const dir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'blob-bench-'));
    const storage = createFsBlobStorage({ root: join(dir, 'blobs') });
    const baselineFile = join(dir, 'baseline.bin');
    const key = 'be/nc/bench-blob';
    const body = () => generatedMiBStream(sizeMiB, chunk);
    const removeBaselineFile = () => rm(baselineFile, { force: true });

    const cases: Case[] = [
      {
        name: 'baseline: fs write (pipeline → createWriteStream)',
        prepare: removeBaselineFile,
        run: () => pipeline(body(), createWriteStream(baselineFile)),
      },
      {
        // The driver fsyncs before publishing, so this is the like-for-like write baseline.
        name: 'baseline: fs write + fsync (flush: true)',
        baseline: 'baseline: fs write (pipeline → createWriteStream)',
        prepare: removeBaselineFile,
        run: () => pipeline(body(), createWriteStream(baselineFile, { flush: true })),
      },
      {
        // The driver hashes in line with writing; this is the CPU ceiling that sets.
        name: 'reference: sha256 of the stream only',
        run: async () => {
          const hash = createHash('sha256');
          for await (const data of body() as AsyncIterable<Buffer>) hash.update(data);
          hash.digest();
        },
      },
      {
        name: 'fs driver put (sha256, fsync, rename)',
        baseline: 'baseline: fs write (pipeline → createWriteStream)',
        prepare: () => storage.delete({ key }),
        run: async () => {
          const result = await storage.put({ key, body: body() });
          if (result.size !== sizeMiB * MiB) throw new Error(`put stored ${result.size} bytes`);
        },
      },
      {
        name: 'baseline: fs.createReadStream → null',
        run: () => pipeline(createReadStream(baselineFile), nullSink()),
      },
      {
        name: 'fs driver get → null',
        baseline: 'baseline: fs.createReadStream → null',
        run: async () => pipeline((await storage.get({ key })).body, nullSink()),
      },
    ];

    // Interleaved rounds, then medians: page-cache writeback makes single disk runs noisy.
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    try {
      for (let round = 0; round < rounds; round += 1) {
        for (const c of cases) {
          await c.prepare?.();
          samples.get(c.name)?.push(await measure(c.run));
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const medianSeconds = (name: string) => median((samples.get(name) ?? []).map((s) => s.seconds));
    return cases.map((c): BenchRow => {
      const seconds = medianSeconds(c.name);
      return {
        case: c.name,
        MiB: sizeMiB,
        'median s': seconds,
        'MiB/s': sizeMiB / seconds,
        // Throughput ratio: 1.00 means as fast as its baseline.
        'vs baseline':
          c.baseline === undefined ? '' : (medianSeconds(c.baseline) / seconds).toFixed(2),
        'peak RSS growth MiB':
          Math.max(...(samples.get(c.name) ?? []).map((s) => s.rssGrowthBytes)) / MiB,
      };
    });
  },
};
