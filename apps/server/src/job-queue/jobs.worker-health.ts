import http from 'node:http';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { getQueueStats } from './jobs.repository.js';

/**
 * A worker serves no API, but its orchestrator still needs a liveness probe: `/healthz` on
 * PORT answers while the process runs. Nothing else is served.
 */
export const startWorkerHealthServer = async ({ port, host }: { port: number; host: string }) => {
  const server = http.createServer((request, response) => {
    const ok = request.method === 'GET' && request.url === '/healthz';
    response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        ok ? { status: 'ok' } : { error: { code: 'not_found', message: 'Not found.' } },
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
