/** `last_used_at` is for people reading the tokens page: minute precision is plenty. */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/**
 * Remembers when this process last wrote a token's `last_used_at`, so a busy script costs one
 * UPDATE a minute instead of one per request. The UPDATE itself still refuses a write within a
 * minute of the last one, so several processes together stay close to that rate too.
 */
export type TouchLimiter = {
  /** True (and remembered) when `id` has not been touched by this process within the interval. */
  due(id: string): boolean;
  now(): number;
};

export const createTouchLimiter = ({
  intervalMs = TOKEN_TOUCH_INTERVAL_MS,
  now = Date.now,
}: { intervalMs?: number; now?: () => number } = {}): TouchLimiter => {
  const touched = new Map<string, number>();
  return {
    now,
    due: (id) => {
      const at = now();
      const last = touched.get(id);
      if (last !== undefined && at - last < intervalMs) return false;
      // A bound on memory: forgetting only costs one extra (harmless) UPDATE per token.
      if (touched.size >= 50_000) touched.clear();
      touched.set(id, at);
      return true;
    },
  };
};
