import { describe, expect, test } from 'vitest';
import type { SessionCache } from './session-cache.types.js';

/** One suite for every driver; `create` takes the entries' lifetime, short so the suite is quick. */
export const describeSessionCacheContract = (
  name: string,
  create: (ttlSeconds: number) => SessionCache,
) => {
  describe(`session cache contract: ${name}`, () => {
    test('holds an answer for seconds at most, and a delete is immediate', async () => {
      const cache = create(1);
      await cache.set('s1', { userId: 'u1', expiresAt: Date.now() + 60_000 });
      expect((await cache.get('s1'))?.userId).toBe('u1');
      await cache.delete(['s1']);
      expect(await cache.get('s1')).toBeUndefined();
      await cache.set('s2', { userId: 'u2', expiresAt: Date.now() + 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await cache.get('s2')).toBeUndefined();
    });
  });
};
