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
  /**
   * Takes back one hit (never below zero). An attempt is counted before it is judged, so that
   * concurrent attempts cannot all slip under the limit; one that turns out fine is taken back.
   */
  undo(key: string): Promise<void>;
  clear(key: string): Promise<void>;
};
