import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { testRedisUrl, usesRealServices } from '../../test-support/test-services.js';
import {
  createMemoryRateCounter,
  createRedisRateCounter,
  type RateCounter,
} from './rate-counter.js';
import {
  createMemorySessionCache,
  createRedisSessionCache,
  type SessionCache,
} from './session-cache.js';

const prefix = `myfile-test:counters-${randomBytes(4).toString('hex')}:`;
// On real services Redis must be there: connecting fails the suite rather than skipping it.
const redis = usesRealServices()
  ? new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 })
  : undefined;

const counters: [string, RateCounter][] = [['memory', createMemoryRateCounter()]];
const caches: [string, SessionCache][] = [['memory', createMemorySessionCache(1)]];
if (redis) {
  counters.push(['redis', createRedisRateCounter(redis, prefix)]);
  caches.push(['redis', createRedisSessionCache(redis, `${prefix}session:`, 1)]);
}

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe.each(counters)('rate counter (%s)', (_name, counter) => {
  test('counts within a window, reports a retry delay, and can be cleared', async () => {
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

  test('the window ends', async () => {
    await counter.hit('short', 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await counter.peek('short')).count).toBe(0);
  });
});

describe.each(caches)('session cache (%s)', (_name, cache) => {
  test('holds an answer for seconds at most, and a delete is immediate', async () => {
    await cache.set('s1', { userId: 'u1', expiresAt: Date.now() + 60_000 });
    expect((await cache.get('s1'))?.userId).toBe('u1');
    await cache.delete(['s1']);
    expect(await cache.get('s1')).toBeUndefined();
    await cache.set('s2', { userId: 'u2', expiresAt: Date.now() + 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await cache.get('s2')).toBeUndefined();
  });
});
