import {
  SESSION_CACHE_SECONDS,
  type CachedSession,
  type SessionCache,
} from '../../session-cache.types.js';

export const createMemorySessionCache = <V = CachedSession>(
  ttlSeconds = SESSION_CACHE_SECONDS,
): SessionCache<V> => {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    get: async (key) => {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set: async (key, value) => {
      if (entries.size > 50_000) entries.clear();
      entries.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
    },
    delete: async (keys) => {
      for (const key of keys) entries.delete(key);
    },
  };
};
