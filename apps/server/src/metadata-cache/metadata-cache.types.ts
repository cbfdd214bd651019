import type { z } from 'zod';

/** What may be cached: each topic is invalidated on its own, per user. */
export type CacheTopic = 'breadcrumbs' | 'usage';

export type CacheEntry<T> = {
  topic: CacheTopic;
  /** Every entry belongs to one user, so a key can never answer for another user's data. */
  userId: string;
  /** Tells entries of one topic apart, e.g. the folder id of a breadcrumb. */
  key: string;
  /** A cached value that no longer parses is treated as a miss. */
  schema: z.ZodType<T>;
  load: () => Promise<T>;
};

/**
 * Read-through cache of hot metadata. Writers call `invalidate` after their transaction
 * commits; a cache that is unreachable falls back to `load`, never to an error.
 */
export type MetadataCache = {
  readonly driverName: 'redis' | 'none';
  read<T>(entry: CacheEntry<T>): Promise<T>;
  invalidate(userId: string, topics: readonly CacheTopic[]): Promise<void>;
};
