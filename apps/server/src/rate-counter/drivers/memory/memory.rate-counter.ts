import type { CounterState, RateCounter } from '../../rate-counter.types.js';

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
    undo: async (key) => {
      const entry = live(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
    clear: async (key) => {
      windows.delete(key);
    },
  };
};
