import type { Redis } from 'ioredis';

export type CounterState = { count: number; retryAfterSeconds: number };

/**
 * Fixed-window counters for per-account limits (failed sign-ins, resets asked for an address).
 * In Redis when there is one, so every process counts together; else in this process.
 * Unlike @fastify/rate-limit's store they can be cleared: a successful reset clears the
 * account's failure count.
 */
export type RateCounter = {
  hit(key: string, windowSeconds: number): Promise<CounterState>;
  peek(key: string): Promise<CounterState>;
  clear(key: string): Promise<void>;
};

export const createMemoryRateCounter = (now = () => Date.now()): RateCounter => {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.endsAt <= now()) windows.delete(key);
    return windows.get(key);
  };
  const state = (entry: { count: number; endsAt: number } | undefined): CounterState => ({
    count: entry?.count ?? 0,
    retryAfterSeconds: entry ? Math.max(1, Math.ceil((entry.endsAt - now()) / 1000)) : 0,
  });
  return {
    hit: async (key, windowSeconds) => {
      const entry = live(key) ?? { count: 0, endsAt: now() + windowSeconds * 1000 };
      entry.count += 1;
      windows.set(key, entry);
      // Bounded: a flood of distinct keys must not grow memory without end.
      if (windows.size > 100_000) for (const k of windows.keys()) if (!live(k)) break;
      return state(entry);
    },
    peek: async (key) => state(live(key)),
    clear: async (key) => {
      windows.delete(key);
    },
  };
};

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
    clear: async (key) => {
      await redis.del(prefix + key);
    },
  };
};
