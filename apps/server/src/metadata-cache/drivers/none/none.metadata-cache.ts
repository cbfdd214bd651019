import type { MetadataCache } from '../../metadata-cache.types.js';

/**
 * Without Redis nothing is cached: PGlite answers in-process, and a separate worker process on
 * PostgreSQL could change usage behind an in-process cache's back.
 */
export const createPassThroughCache = (): MetadataCache => ({
  driverName: 'none',
  read: ({ load }) => load(),
  invalidate: async () => {},
});
