import path from 'node:path';
import type { Logger } from 'pino';
import {
  coldStorageUrl,
  createArchiveStorage,
} from '../archive-storage/archive-storage.factory.js';
import type { ArchiveStorage } from '../archive-storage/archive-storage.types.js';
import { createBlobStorage } from '../blob-storage/blob-storage.factory.js';
import type { BlobStorage } from '../blob-storage/blob-storage.types.js';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import type { Config } from '../config/config.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { assertMigrated, migrateToLatest } from '../db/migrations.js';
import type { Redis } from 'ioredis';
import { createKeyRingHolder, type KeyRingHolder } from '../keys/key-ring.holder.js';
import type { KeyRing } from '../keys/key-ring.models.js';
import { loadKeyRingDocument } from '../keys/key-ring.source.js';
import { createPassThroughCache } from '../metadata-cache/drivers/none/none.metadata-cache.js';
import { createRedisMetadataCache } from '../metadata-cache/drivers/redis/redis.metadata-cache.js';
import type { MetadataCache } from '../metadata-cache/metadata-cache.types.js';
import { createEventBus, type EventBus } from '../event-bus/event-bus.js';
import { startEventFanout } from '../event-bus/event-fanout.js';
import { createMemoryEventLog } from '../event-log/drivers/memory/memory.event-log.js';
import { createRedisEventLog } from '../event-log/drivers/redis/redis.event-log.js';
import type { EventLog } from '../event-log/event-log.types.js';
import { createMemoryPubSub } from '../pubsub/drivers/memory/memory.pubsub.js';
import { createRedisPubSub } from '../pubsub/drivers/redis/redis.pubsub.js';
import type { PubSub } from '../pubsub/pubsub.types.js';
import {
  createVerifiedAccessTokens,
  type VerifiedAccessTokens,
} from '../modules/auth/sessions/access-token.models.js';
import { cleanStagingAtStart, isStagingOwnedBy } from '../modules/files/files.staging.js';
import { startDiskSpaceMonitor, type DiskSpace } from '../disk-space/disk-space.monitor.js';
import {
  createFolderPageCache,
  type FolderPageCache,
} from '../modules/folders/folders.page-cache.js';
import { shareAudienceOf } from '../modules/sharing/sharing.audience.js';
import { linkChannelsOf } from '../modules/links/links.audience.js';
import { watchersOf } from '../modules/sharing/watchers.repository.js';
import { ensureDataDir, makeOwnerOnly } from './data-dir.js';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { openRedis } from './redis.js';
import { createLogger } from './logger.js';

/** The long-lived dependencies one process shares between its API and its workers. */
export type AppContext = {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  blobStorage: BlobStorage;
  /** The cold tier archived folders' blobs move to. */
  archiveStorage: ArchiveStorage;
  /** The signing keys as last loaded; reloaded every KEY_RING_RELOAD_SECONDS. */
  readonly keyRing: KeyRing;
  keys: KeyRingHolder;
  /** Shared across processes when REDIS_URL is set; null in in-process mode. */
  redis: Redis | null;
  events: EventBus;
  /** Cross-process fan-out of events to WebSocket clients (Redis, or in-process). */
  pubsub: PubSub;
  /** The short replay window a reconnecting client reads what it missed from. */
  eventLog: EventLog;
  /** Hot metadata (breadcrumbs, usage) in Redis; a pass-through without it. */
  cache: MetadataCache;
  /**
   * Folder pages as last answered, kept only in a process without Redis: that is the one process
   * there is, so every write to the database is its own.
   */
  folderPages: FolderPageCache | null;
  /** Access tokens whose signature this process already checked, so each is verified once. */
  verifiedAccessTokens: VerifiedAccessTokens;
  /** Free space under DATA_DIR, and the reserve kept there for the embedded database. */
  disk: DiskSpace;
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
  overrides: Partial<
    Pick<AppContext, 'logger' | 'database' | 'blobStorage' | 'archiveStorage' | 'redis'>
  > = {},
): Promise<AppContext> => {
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL });
  await ensureDataDir(config.DATA_DIR);
  const lock = await takeDataDir(config.DATA_DIR, logger);
  try {
    return await openAppContext(config, overrides, { logger, lock });
  } catch (error) {
    await lock.release();
    throw error;
  }
};

/** A second process on one DATA_DIR would corrupt the embedded database: it is refused. */
const takeDataDir = (dataDir: string, logger: Logger) =>
  lockDataDir(dataDir, {
    onStaleLock: (pid) =>
      logger.warn({ pid }, 'took over the DATA_DIR lock of a process that is gone'),
  }).catch((error: unknown) => {
    if (error instanceof DataDirLockedError) throw new StartupError(error.message);
    throw error;
  });

const openAppContext = async (
  config: Config,
  overrides: Partial<
    Pick<AppContext, 'logger' | 'database' | 'blobStorage' | 'archiveStorage' | 'redis'>
  >,
  { logger, lock }: { logger: Logger; lock: DataDirLock },
): Promise<AppContext> => {
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
  // The embedded database lays its first files down with modes of its own (0666), not ours.
  if (!config.DATABASE_URL) await makeOwnerOnly(path.join(config.DATA_DIR, 'db'));

  const blobStorage =
    overrides.blobStorage ?? (await createBlobStorage(parseStorageUrl(hotStorageUrl(config))));

  const archiveStorage = overrides.archiveStorage ?? (await createArchiveStorage(config));
  await cleanStagingAtStart({
    stores: [
      {
        name: 'hot',
        store: blobStorage,
        owned: !overrides.blobStorage && isStagingOwnedBy(hotStorageUrl(config), config.DATA_DIR),
      },
      {
        name: 'cold',
        store: archiveStorage,
        owned:
          !overrides.archiveStorage && isStagingOwnedBy(coldStorageUrl(config), config.DATA_DIR),
      },
    ],
    logger,
  }).catch((error: unknown) => {
    // Left for the hourly sweep: a store that cannot be read now fails its own requests anyway.
    logger.warn({ err: error }, 'could not clean staging at start');
  });

  let keys: KeyRingHolder;
  try {
    keys = await createKeyRingHolder({
      load: () => loadKeyRingDocument(config),
      intervalMs: config.KEY_RING_RELOAD_SECONDS * 1000,
      logger,
    });
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new StartupError(`Cannot load the signing keys: ${describe(error)}`, { cause: error });
  }

  const redis = overrides.redis !== undefined ? overrides.redis : await openRedis(config);
  if (!config.MAIL_URL) {
    logger.info(
      'mail is off (MAIL_URL unset): mail goes to the log and the outbox, accounts are verified at once',
    );
  }

  const prefix = config.REDIS_KEY_PREFIX;
  const pubsub = redis ? createRedisPubSub({ redis, keyPrefix: prefix }) : createMemoryPubSub();
  const eventLog = redis
    ? createRedisEventLog({ redis, keyPrefix: prefix })
    : createMemoryEventLog();
  const cache = redis
    ? createRedisMetadataCache({ redis, keyPrefix: prefix, logger })
    : createPassThroughCache();
  const events = createEventBus({ logger });
  // One walk up the tree per event answers both who else hears of it and which links do.
  const watchers = watchersOf(database.db);
  startEventFanout({
    events,
    eventLog,
    pubsub,
    logger,
    audience: shareAudienceOf(watchers),
    channels: linkChannelsOf(watchers),
  });
  const disk = startDiskSpaceMonitor({
    dataDir: config.DATA_DIR,
    reserveBytes: !config.DATABASE_URL && !overrides.database ? config.DISK_RESERVE_BYTES : 0,
    // With PostgreSQL and S3, DATA_DIR holds only keys and mail: a full disk there is no reason
    // to stop taking requests.
    lowFreeBytes: !config.DATABASE_URL || !config.STORAGE_URL ? config.DISK_LOW_FREE_BYTES : 0,
    logger,
  });
  await disk.ready;

  return {
    config,
    logger,
    database,
    blobStorage,
    archiveStorage,
    get keyRing() {
      return keys.current();
    },
    keys,
    redis,
    events,
    pubsub,
    eventLog,
    cache,
    folderPages: redis ? null : createFolderPageCache({ writes: database.writes }),
    verifiedAccessTokens: createVerifiedAccessTokens(),
    disk,
    close: async () => {
      disk.stop();
      keys.stop();
      await pubsub.close();
      await redis?.quit().catch(() => undefined);
      await database.close();
      await lock.release();
    },
  };
};

const describe = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
};
