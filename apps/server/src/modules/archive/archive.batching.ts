/**
 * Runs `work` over `items`, at most `limit` at a time. After the first failure it starts no
 * more, lets the running ones settle (so what they finished is still recorded) and rethrows.
 */
export const forEachLimited = async <T>(
  items: readonly T[],
  { limit, signal }: { limit: number; signal: AbortSignal },
  work: (item: T) => Promise<void>,
) => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        signal.throwIfAborted();
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
};

/**
 * Collects ids and writes them `size` at a time in one statement, instead of one transaction
 * per file. Losing an unflushed batch in a crash is safe: each recorded step is re-checked
 * against the stores on the next run.
 */
export const createIdBatch = (write: (ids: string[]) => Promise<void>, size = 100) => {
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const ids = pending;
    pending = [];
    await write(ids);
  };
  return {
    add: async (id: string) => {
      pending.push(id);
      if (pending.length >= size) await flush();
    },
    flush,
  };
};
