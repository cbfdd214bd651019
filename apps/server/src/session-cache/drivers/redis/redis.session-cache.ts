import type { Redis } from 'ioredis';
import { SESSION_CACHE_SECONDS, type SessionCache } from '../../session-cache.types.js';

export const createRedisSessionCache = <V>(
  redis: Redis,
  prefix: string,
  parse: (value: unknown) => V | undefined,
  ttlSeconds = SESSION_CACHE_SECONDS,
): SessionCache<V> => ({
  get: async (key) => {
    const raw = await redis.get(prefix + key);
    return raw ? parse(JSON.parse(raw)) : undefined;
  },
  set: async (key, value) => {
    await redis.set(prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
  },
  delete: async (keys) => {
    if (keys.length) await redis.del(...keys.map((key) => prefix + key));
  },
});
