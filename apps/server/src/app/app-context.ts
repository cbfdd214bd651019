import path from 'node:path';
import type { Logger } from 'pino';
import { createBlobStorage } from '../blob-storage/blob-storage.factory.js';
import type { BlobStorage } from '../blob-storage/blob-storage.types.js';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import type { Config } from '../config/config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { assertMigrated, migrateToLatest } from '../db/migrations.js';
import { toKeyRing, type KeyRing } from '../keys/key-ring.models.js';
import { loadKeyRingDocument } from '../keys/key-ring.source.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import { ensureDataDir } from './data-dir.js';
import { createLogger } from './logger.js';

/** The long-lived dependencies one process shares between its API and its workers. */
export type AppContext = {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  blobStorage: BlobStorage;
  keyRing: KeyRing;
  events: EventBus;
  close(): Promise<void>;
};

export class StartupError extends Error {
  override name = 'StartupError';
}

export const hotStorageUrl = (config: Config) =>
  config.STORAGE_URL ?? `file://${path.join(config.DATA_DIR, 'blobs')}`;

/** Opens everything the config names and migrates the database; any failure is one clear line. */
export const createAppContext = async (
  config: Config,
  overrides: Partial<Pick<AppContext, 'logger' | 'database' | 'blobStorage'>> = {},
): Promise<AppContext> => {
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL });
  await ensureDataDir(config.DATA_DIR);

  const database =
    overrides.database ??
    (await openDatabase(config).catch((error: unknown) => {
      throw new StartupError(`Cannot open the database: ${describe(error)}`, { cause: error });
    }));
  try {
    if (config.MIGRATE_ON_START) await migrateToLatest(database.db);
    else await assertMigrated(database.db);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new StartupError(`Cannot prepare the database: ${describe(error)}`, { cause: error });
  }

  const blobStorage =
    overrides.blobStorage ?? createBlobStorage(parseStorageUrl(hotStorageUrl(config)));

  let keyRing: KeyRing;
  try {
    keyRing = toKeyRing(await loadKeyRingDocument(config), new Date());
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new StartupError(`Cannot load the signing keys: ${describe(error)}`, { cause: error });
  }

  return {
    config,
    logger,
    database,
    blobStorage,
    keyRing,
    events: createEventBus({ logger }),
    close: () => database.close(),
  };
};

const describe = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
};
