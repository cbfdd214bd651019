import { describe, expect, test } from 'vitest';
import type { RateCounter } from './rate-counter.types.js';

/** One suite for every driver: each driver's test file runs it on its own backend. */
export const describeRateCounterContract = (name: string, create: () => RateCounter) => {
  describe(`rate counter contract: ${name}`, () => {
    test('counts within a window, reports a retry delay, and can be cleared', async () => {
      const counter = create();
      expect(await counter.peek('a')).toEqual({ count: 0, retryAfterSeconds: 0 });
      await counter.hit('a', 60);
      const second = await counter.hit('a', 60);
      expect(second.count).toBe(2);
      expect(second.retryAfterSeconds).toBeGreaterThan(0);
      expect(second.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await counter.peek('a')).count).toBe(2);
      expect((await counter.peek('b')).count).toBe(0);
      await counter.clear('a');
      expect((await counter.peek('a')).count).toBe(0);
    });

    test('undo takes back one hit and never goes below zero', async () => {
      const counter = create();
      await counter.hit('u', 60);
      await counter.hit('u', 60);
      await counter.undo('u');
      expect((await counter.peek('u')).count).toBe(1);
      await counter.undo('u');
      await counter.undo('u');
      expect((await counter.peek('u')).count).toBe(0);
      await counter.undo('never-hit');
      expect((await counter.peek('never-hit')).count).toBe(0);
    });

    test('the window ends', async () => {
      const counter = create();
      await counter.hit('short', 1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await counter.peek('short')).count).toBe(0);
    });
  });
};
