import type { Redis } from 'ioredis';
import type { CounterState, RateCounter } from '../../rate-counter.types.js';

const UNDO_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

export const createRedisRateCounter = (redis: Redis, prefix: string): RateCounter => {
  const toState = (count: number, ttlMs: number): CounterState => ({
    count,
    retryAfterSeconds: count > 0 ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0,
  });
  return {
    hit: async (key, windowSeconds) => {
      const name = prefix + key;
      const results = await redis
        .multi()
        .set(name, 0, 'PX', windowSeconds * 1000, 'NX')
        .incr(name)
        .pttl(name)
        .exec();
      const count = Number(results?.[1]?.[1] ?? 0);
      const ttl = Number(results?.[2]?.[1] ?? windowSeconds * 1000);
      return toState(count, ttl);
    },
    peek: async (key) => {
      const name = prefix + key;
      const [value, ttl] = await Promise.all([redis.get(name), redis.pttl(name)]);
      return toState(Number(value ?? 0), ttl);
    },
    undo: async (key) => {
      // One script, so a concurrent hit cannot land between the read and the decrement.
      await redis.eval(UNDO_SCRIPT, 1, prefix + key);
    },
    clear: async (key) => {
      await redis.del(prefix + key);
    },
  };
};
