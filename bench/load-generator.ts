import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time this process (the server's) spent per request: on two shared cores the rate swings
   * with the neighbours' load, this much less.
   */
  cpuMsPerRequest: number;
  /** The 1-minute load average when the run ended: two cores are shared, so read it beside the figure. */
  load: number;
};

export type LoadOptions = {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  /** Seconds of load, measured. */
  seconds?: number;
  /**
   * Seconds of the same load first, not measured (`BENCH_WARMUP_SECONDS`, 5): a server is
   * measured as it runs, warm. `GET /api/auth/me` took 159 µs of CPU per request in its first
   * 3 s and 113–135 µs from then on; hello world settles within a second.
   */
  warmUpSeconds?: number;
  method?: string;
  /** A file whose bytes are every request's body; `[<id>]` in it becomes a fresh id each time. */
  bodyFile?: string;
};

type AutocannonJson = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

/**
 * autocannon in a process of its own, as a real client runs on its own machine: its event loop
 * takes no time from the server measured. Any answer other than 2xx fails the run, so a 401 or a
 * 429 cannot pass for speed.
 */
export const generateLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const args = [
    cli,
    '--json',
    '--connections',
    String(options.connections),
    '--duration',
    String(options.seconds ?? 5),
    ...(options.method ? ['--method', options.method] : []),
    ...(options.bodyFile ? ['--input', options.bodyFile, '--idReplacement'] : []),
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
      '--headers',
      `${name}=${value}`,
    ]),
  ];
  const warmUp = options.warmUpSeconds ?? Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
  if (warmUp > 0) {
    const warmArgs = args.map((arg, index) =>
      args[index - 1] === '--duration' ? String(warmUp) : arg,
    );
    await run(process.execPath, [...warmArgs, options.url], { maxBuffer: 16 * 1024 * 1024 });
  }
  const cpuBefore = process.cpuUsage();
  const { stdout } = await run(process.execPath, [...args, options.url], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const cpu = process.cpuUsage(cpuBefore);
  const result = JSON.parse(stdout) as AutocannonJson;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${options.url}: ${result.non2xx} answers not 2xx, ${result.errors} errors, ${result.timeouts} timeouts.`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, result.requests.total),
    load: loadavg()[0] ?? 0,
  };
};
