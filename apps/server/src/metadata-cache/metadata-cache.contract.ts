import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { CacheTopic, MetadataCache } from './metadata-cache.types.js';

/** A source whose value a test changes, standing in for the database. */
const sourceOf = (initial: number) => {
  const source = { value: initial };
  return { source, load: async () => source.value };
};

const entryOf = (topic: CacheTopic, userId: string, load: () => Promise<number>, key = 'k') => ({
  topic,
  userId,
  key,
  schema: z.number(),
  load,
});

/**
 * What every driver promises, whether it caches or not: a read answers the source's value,
 * an invalidation makes the next read see the source again, and a failing source is not hidden.
 * Each driver's test file runs it; user ids are random so drivers sharing a backend do not meet.
 */
export const describeMetadataCacheContract = (name: string, create: () => MetadataCache) => {
  describe(`metadata cache contract: ${name}`, () => {
    const user = () => `u-${Math.random().toString(36).slice(2)}`;

    test('a read answers what the source loads', async () => {
      const cache = create();
      const { load } = sourceOf(1);
      expect(await cache.read(entryOf('usage', user(), load))).toBe(1);
    });

    test('after an invalidation the next read sees the source again', async () => {
      const cache = create();
      const userId = user();
      const { source, load } = sourceOf(1);
      expect(await cache.read(entryOf('usage', userId, load))).toBe(1);
      source.value = 2;
      await cache.invalidate(userId, ['usage']);
      expect(await cache.read(entryOf('usage', userId, load))).toBe(2);
    });

    test('an invalidation of one user and topic leaves the others answering', async () => {
      const cache = create();
      const [me, them] = [user(), user()];
      const mine = sourceOf(1);
      const theirs = sourceOf(2);
      expect(await cache.read(entryOf('usage', me, mine.load))).toBe(1);
      expect(await cache.read(entryOf('usage', them, theirs.load))).toBe(2);
      await cache.invalidate(them, ['usage']);
      await cache.invalidate(me, ['breadcrumbs']);
      expect(await cache.read(entryOf('usage', me, mine.load))).toBe(1);
      expect(await cache.read(entryOf('usage', them, theirs.load))).toBe(2);
    });

    test('a failing source fails the read', async () => {
      const cache = create();
      await expect(
        cache.read(entryOf('usage', user(), () => Promise.reject(new Error('db down')))),
      ).rejects.toThrow('db down');
    });
  });
};
