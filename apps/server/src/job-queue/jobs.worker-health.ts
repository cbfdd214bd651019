import http from 'node:http';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { getQueueStats } from './jobs.repository.js';

/**
 * A worker serves no API, but its orchestrator still needs a liveness probe: `/healthz` on
 * PORT answers 200 while the job loop makes progress and 503 once it is stuck, so the
 * orchestrator replaces a worker that would otherwise sit idle forever. Nothing else is served.
 */
export const startWorkerHealthServer = async ({
  port,
  host,
  health,
}: {
  port: number;
  host: string;
  health: () => { ok: boolean; msSinceLastPoll: number };
}) => {
  const server = http.createServer((request, response) => {
    const found = request.method === 'GET' && request.url === '/healthz';
    const state = found ? health() : undefined;
    const status = !state ? 404 : state.ok ? 200 : 503;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        status === 200
          ? { status: 'ok' }
          : status === 503
            ? {
                error: {
                  code: 'unavailable',
                  message: `The job loop has not finished a poll for ${Math.round((state?.msSinceLastPoll ?? 0) / 1000)} s.`,
                },
              }
            : { error: { code: 'not_found', message: 'Not found.' } },
      ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/**
 * Logs `queueDepth` and `oldestJobAgeSeconds` as JSON fields every minute; CloudWatch metric
 * filters turn them into the metrics that scale workers and raise the queue-age alarm.
 */
export const startQueueMetricsLog = ({
  db,
  logger,
  intervalMs = 60_000,
}: {
  db: Db;
  logger: Logger;
  intervalMs?: number;
}) => {
  const report = () =>
    getQueueStats(db)
      .then((stats) => logger.info(stats, 'job queue'))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not read job queue stats'));
  void report();
  const timer = setInterval(() => void report(), intervalMs);
  return { stop: () => clearInterval(timer) };
};
