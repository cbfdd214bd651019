import type { Redis } from 'ioredis';
import {
  SESSION_CACHE_SECONDS,
  type CachedSession,
  type SessionCache,
} from '../../session-cache.types.js';

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
