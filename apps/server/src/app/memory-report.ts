import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.js';

/**
 * Where this process's memory goes, in bytes: V8's heap, buffers outside it, and what an
 * embedded database holds. Logged, never served: the figures describe the host.
 */
export const memoryReport = async (database: Pick<DatabaseHandle, 'memory'>) => {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const databaseMemory = await database.memory().catch(() => ({}));
  return { rss, heapTotal, heapUsed, external, arrayBuffers, database: databaseMemory };
};

/** One `memory` log line now; `signal` asks for another whenever it arrives. */
export const logMemoryReports = async ({
  database,
  logger,
  signal,
}: {
  database: Pick<DatabaseHandle, 'memory'>;
  logger: Logger;
  signal: NodeJS.Signals;
}) => {
  const log = async (reason: string) =>
    logger.info({ memory: await memoryReport(database), reason }, 'memory');
  process.on(signal, () => void log(signal));
  await log('start');
};
