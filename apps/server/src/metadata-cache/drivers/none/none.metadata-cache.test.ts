import { expect, test } from 'vitest';
import { z } from 'zod';
import { describeMetadataCacheContract } from '../../metadata-cache.contract.js';
import { createPassThroughCache } from './none.metadata-cache.js';

describeMetadataCacheContract('none (pass-through)', () => createPassThroughCache());

test('without REDIS_URL every read goes to the source, so a change is seen on the very next read', async () => {
  const cache = createPassThroughCache();
  let value = 1;
  const entry = { topic: 'usage', userId: 'u1', key: 'total', schema: z.number() } as const;
  expect(await cache.read({ ...entry, load: async () => value })).toBe(1);
  value = 2;
  expect(await cache.read({ ...entry, load: async () => value })).toBe(2);
  await expect(cache.invalidate('u1', ['usage', 'breadcrumbs'])).resolves.toBeUndefined();
});
