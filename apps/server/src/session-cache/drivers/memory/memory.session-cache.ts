import {
  SESSION_CACHE_SECONDS,
  type CachedSession,
  type SessionCache,
} from '../../session-cache.types.js';

export const createMemorySessionCache = (ttlSeconds = SESSION_CACHE_SECONDS): SessionCache => {
  const entries = new Map<string, { value: CachedSession; until: number }>();
  return {
    get: async (sessionId) => {
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (entry.until <= Date.now()) {
        entries.delete(sessionId);
        return undefined;
      }
      return entry.value;
    },
    set: async (sessionId, value) => {
      if (entries.size > 50_000) entries.clear();
      entries.set(sessionId, { value, until: Date.now() + ttlSeconds * 1000 });
    },
    delete: async (sessionIds) => {
      for (const id of sessionIds) entries.delete(id);
    },
  };
};
