import type { Redis } from 'ioredis';

export type CachedSession = { userId: string; expiresAt: number };

/**
 * "Is this session still alive?" answered from cache for a few seconds, so not every request
 * costs a database read. Revocation deletes the entry (in Redis: for every process at once);
 * only positive answers are cached, so a revoked session is never served from here after that.
 */
export type SessionCache = {
  get(sessionId: string): Promise<CachedSession | undefined>;
  set(sessionId: string, value: CachedSession): Promise<void>;
  delete(sessionIds: string[]): Promise<void>;
};

export const SESSION_CACHE_SECONDS = 5;

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

export const createRedisSessionCache = (
  redis: Redis,
  prefix: string,
  ttlSeconds = SESSION_CACHE_SECONDS,
): SessionCache => ({
  get: async (sessionId) => {
    const raw = await redis.get(prefix + sessionId);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<CachedSession>;
    return typeof parsed.userId === 'string' && typeof parsed.expiresAt === 'number'
      ? { userId: parsed.userId, expiresAt: parsed.expiresAt }
      : undefined;
  },
  set: async (sessionId, value) => {
    await redis.set(prefix + sessionId, JSON.stringify(value), 'EX', ttlSeconds);
  },
  delete: async (sessionIds) => {
    if (sessionIds.length) await redis.del(...sessionIds.map((id) => prefix + id));
  },
});
