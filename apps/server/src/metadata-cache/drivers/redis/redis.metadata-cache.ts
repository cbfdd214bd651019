import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CacheTopic, MetadataCache } from '../../metadata-cache.types.js';

/** A safety net only: every write invalidates, so an entry normally dies long before this. */
export const CACHE_TTL_SECONDS = 30;
/** Outlives every entry by far, so a generation that expires can restart at 0 safely. */
const GENERATION_TTL_SECONDS = 86_400;
/** Past this, the database answers instead of waiting on a slow Redis. */
const REDIS_TIMEOUT_MS = 500;

/**
 * Entries live under a per-user, per-topic generation number; a write bumps the generation, so
 * a rename of a folder drops the breadcrumbs of its whole subtree in one INCR instead of finding
 * their keys. A reader reads the generation before the database, so a value it loaded just
 * before a write lands under the old generation, where no one looks again.
 */
export const createRedisMetadataCache = ({
  redis,
  keyPrefix = 'myfile:',
  ttlSeconds = CACHE_TTL_SECONDS,
  logger,
}: {
  redis: Redis;
  keyPrefix?: string;
  ttlSeconds?: number;
  logger: Pick<Logger, 'warn'>;
}): MetadataCache => {
  const generationKey = (userId: string, topic: CacheTopic) =>
    `${keyPrefix}cache:${topic}:${userId}:gen`;
  const entryKey = (userId: string, topic: CacheTopic, generation: string, key: string) =>
    `${keyPrefix}cache:${topic}:${userId}:${generation}:${key}`;

  return {
    driverName: 'redis',
    async read({ topic, userId, key, schema, load }) {
      let target: string;
      try {
        const generation = (await withTimeout(redis.get(generationKey(userId, topic)))) ?? '0';
        target = entryKey(userId, topic, generation, key);
        const cached = await withTimeout(redis.get(target));
        if (cached !== null) {
          const parsed = schema.safeParse(JSON.parse(cached));
          if (parsed.success) return parsed.data;
        }
      } catch (error) {
        logger.warn({ err: error, topic }, 'metadata cache unavailable; reading the database');
        return load();
      }
      const value = await load();
      await withTimeout(redis.set(target, JSON.stringify(value), 'EX', ttlSeconds)).catch(
        (error: unknown) => logger.warn({ err: error, topic }, 'could not fill the metadata cache'),
      );
      return value;
    },
    async invalidate(userId, topics) {
      if (topics.length === 0) return;
      const batch = redis.multi();
      for (const topic of topics) {
        batch.incr(generationKey(userId, topic));
        batch.expire(generationKey(userId, topic), GENERATION_TTL_SECONDS);
      }
      // The change is committed whatever happens here; the entry's TTL bounds how long a
      // missed invalidation can be seen.
      await withTimeout(batch.exec()).catch((error: unknown) =>
        logger.warn({ err: error, topics }, 'could not invalidate the metadata cache'),
      );
    },
  };
};

const withTimeout = <T>(work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time.')), REDIS_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};
