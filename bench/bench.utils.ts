import { Readable, Writable } from 'node:stream';

export const MiB = 1024 * 1024;

/** Reuses one pre-filled 1 MiB buffer so a 1 GiB body never costs more than that buffer. */
export const generatedMiBStream = (sizeMiB: number, chunk: Buffer): Readable => {
  let remaining = sizeMiB;
  return new Readable({
    highWaterMark: MiB,
    read() {
      if (remaining === 0) {
        this.push(null);
        return;
      }
      remaining -= 1;
      this.push(chunk);
    },
  });
};

export const nullSink = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/** Peak RSS above the level when sampling started, sampled every 50 ms (plus once at the end). */
export const startRssSampler = (): { stop(): number } => {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak - baseline;
    },
  };
};

export const measure = async (
  work: () => Promise<void>,
): Promise<{ seconds: number; rssGrowthBytes: number }> => {
  const sampler = startRssSampler();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, rssGrowthBytes: sampler.stop() };
};

export const formatTable = (rows: readonly Record<string, string | number>[]): string => {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    value === undefined
      ? ''
      : typeof value === 'number'
        ? value.toFixed(value % 1 === 0 ? 0 : 2)
        : value;
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(columns.map((column) => cell(row[column])))),
  ].join('\n');
};
