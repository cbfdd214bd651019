import 'dotenv/config';
import closeWithGrace from 'close-with-grace';
import { createAppContext, StartupError } from './app/app-context.js';
import { createServer } from './app/server.js';
import { restrictNewFileModes } from './app/data-dir.js';
import { findWebDir } from './app/web-app.js';
import { DIAGNOSTIC_SIGNALS, leaveSignalsToDiagnostics } from './app/diagnostic-signals.js';
import { ensureDataDir } from './app/data-dir.js';
import { logMemoryReports } from './app/memory-report.js';
import { DataDirLockedError, lockDataDir } from './app/data-dir-lock.js';
import { ConfigError, describeConfig, parseConfig, type Config } from './config/config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest, MigrationError } from './db/migrations.js';
import { toJobUpdatedEvent } from './job-queue/jobs.models.js';
import { createJobHandlers, ensureJobSchedules } from './app/job-registry.js';
import { createJobWorker } from './job-queue/jobs.worker.js';
import { startQueueMetricsLog, startWorkerHealthServer } from './job-queue/jobs.worker-health.js';
import { KeyRingError } from './keys/key-ring.models.js';
import { rotateKeyRing } from './keys/key-ring.source.js';

const USAGE = `Usage: myfile <command>

Commands:
  serve [--no-workers]  Serve the API and web app (and run background jobs unless --no-workers)
  worker                Run background jobs only
  migrate               Apply database migrations and exit
  keys rotate           Add a new signing key; keys past their expiry are dropped
  help config           List every setting with its default
  help                  This text`;

const runServe = async (config: Config, { workers }: { workers: boolean }) => {
  const context = await createAppContext(config);
  const app = await createServer(context, { webDir: findWebDir() });
  const worker = workers ? await startWorker(context) : undefined;
  leaveSignalsToDiagnostics(context.logger);
  closeWithGrace({ delay: 30_000, skip: [...DIAGNOSTIC_SIGNALS] }, async ({ signal, err }) => {
    if (err) context.logger.error({ err }, 'shutting down after an error');
    else context.logger.info({ signal }, 'shutting down');
    await app.close();
    await worker?.stop();
    await context.close();
  });
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await context.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.PORT} is already in use; set PORT to another one.`);
    }
    throw error;
  }
  context.logger.info(
    {
      url: config.PUBLIC_URL,
      database: context.database.driverName,
      storage: context.blobStorage.driverName,
    },
    `My File is listening on ${config.PUBLIC_URL}`,
  );
  await logMemoryReports({
    database: context.database,
    logger: context.logger,
    signal: DIAGNOSTIC_SIGNALS[0],
  });
};

const startWorker = async (context: Awaited<ReturnType<typeof createAppContext>>) => {
  await ensureJobSchedules(context);
  const worker = createJobWorker({
    db: context.database.db,
    handlers: await createJobHandlers(context),
    logger: context.logger.child({ component: 'worker' }),
    concurrency: context.config.WORKER_CONCURRENCY,
    onJobChanged: (job) => {
      const event = toJobUpdatedEvent(job);
      if (event) context.events.publish(event);
    },
  });
  worker.start();
  return worker;
};

const runWorker = async (config: Config) => {
  const context = await createAppContext(config);
  const worker = await startWorker(context);
  const metrics = startQueueMetricsLog({ db: context.database.db, logger: context.logger });
  const health = await startWorkerHealthServer({
    port: config.PORT,
    host: config.HOST,
    health: () => worker.health(),
  }).catch(async (error: unknown) => {
    await worker.stop();
    await context.close();
    throw new StartupError(
      `Cannot serve the worker's /healthz on port ${config.PORT}: ${String(error)}`,
    );
  });
  leaveSignalsToDiagnostics(context.logger);
  closeWithGrace({ delay: 60_000, skip: [...DIAGNOSTIC_SIGNALS] }, async () => {
    metrics.stop();
    await health.close();
    await worker.stop();
    await context.close();
  });
  context.logger.info('My File worker started');
};

const runMigrate = async (config: Config) => {
  // The embedded database lives in DATA_DIR: migrating it under a running server would corrupt it.
  const lock = config.DATABASE_URL ? undefined : await lockEmbeddedDataDir(config.DATA_DIR);
  try {
    // A migration may rewrite a large table: no statement limit here.
    const database = await openDatabase(
      { ...config, DATABASE_STATEMENT_TIMEOUT_MS: 0 },
      { fromTemplate: false },
    );
    try {
      const applied = await migrateToLatest(database.db);
      console.log(
        applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.',
      );
    } finally {
      await database.close();
    }
  } finally {
    await lock?.release();
  }
};

const lockEmbeddedDataDir = async (dataDir: string) => {
  await ensureDataDir(dataDir);
  return lockDataDir(dataDir);
};

const runRotateKeys = async (config: Config) => {
  const document = await rotateKeyRing(config);
  const kids = document.keys.map((key) => key.kid);
  console.log(
    `New signing key ${kids[0] ?? ''}; ${kids.length} key(s) in the ring. Running servers sign with it within KEY_RING_RELOAD_SECONDS.`,
  );
};

const main = async (argv: string[]) => {
  const [command, ...rest] = argv;
  if (command === 'help' && rest[0] === 'config') return console.log(describeConfig());
  if (!command || command === 'help' || command === '--help') return console.log(USAGE);
  restrictNewFileModes();
  const config = parseConfig(process.env);
  switch (command) {
    case 'serve':
      return runServe(config, { workers: !rest.includes('--no-workers') });
    case 'worker':
      return runWorker(config);
    case 'migrate':
      return runMigrate(config);
    case 'keys':
      if (rest[0] !== 'rotate') throw new UsageError(`Unknown keys command.\n\n${USAGE}`);
      return runRotateKeys(config);
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
};

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  const expected = [
    ConfigError,
    StartupError,
    MigrationError,
    KeyRingError,
    UsageError,
    DataDirLockedError,
  ].some((type) => error instanceof type);
  console.error(expected ? (error as Error).message : error);
  process.exit(1);
});
