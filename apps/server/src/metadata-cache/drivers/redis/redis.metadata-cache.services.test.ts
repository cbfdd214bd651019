import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { openRedis } from '../../../app/redis.js';
import { testRedisUrl } from '../../../test-support/test-services.js';
import { CACHE_TTL_SECONDS, createRedisMetadataCache } from './redis.metadata-cache.js';
import { describeMetadataCacheContract } from '../../metadata-cache.contract.js';
import type { CacheTopic } from '../../metadata-cache.types.js';

const logger = pino({ level: 'silent' });
const prefix = `myfile-test:cache-${randomBytes(4).toString('hex')}:`;
let redis: Redis;

beforeAll(async () => {
  const client = await openRedis({ REDIS_URL: testRedisUrl() });
  if (!client) throw new Error('no Redis client');
  redis = client;
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** A source that counts its reads, so a test can tell a hit from a miss. */
const counter = (initial: number) => {
  const source = { value: initial, loads: 0 };
  const load = async () => {
    source.loads += 1;
    return source.value;
  };
  return { source, load };
};

const entryOf = (topic: CacheTopic, userId: string, load: () => Promise<number>, key = 'k') => ({
  topic,
  userId,
  key,
  schema: z.number(),
  load,
});

describeMetadataCacheContract('redis', () =>
  createRedisMetadataCache({ redis, keyPrefix: prefix, logger }),
);

describe('the Redis metadata cache', () => {
  test('a second read is a hit; an invalidation makes the next read load again', async () => {
    const cache = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    const { source, load } = counter(1);
    expect(await cache.read(entryOf('usage', 'u1', load))).toBe(1);
    source.value = 2;
    expect(await cache.read(entryOf('usage', 'u1', load))).toBe(1);
    expect(source.loads).toBe(1);
    await cache.invalidate('u1', ['usage']);
    expect(await cache.read(entryOf('usage', 'u1', load))).toBe(2);
    expect(source.loads).toBe(2);
  });

  test('an invalidation by another process (another client) is seen at once', async () => {
    const other = await openRedis({ REDIS_URL: testRedisUrl() });
    if (!other) throw new Error('no Redis client');
    const here = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    const there = createRedisMetadataCache({ redis: other, keyPrefix: prefix, logger });
    const { source, load } = counter(10);
    expect(await here.read(entryOf('breadcrumbs', 'u2', load, 'folder-a'))).toBe(10);
    expect(await here.read(entryOf('breadcrumbs', 'u2', load, 'folder-b'))).toBe(10);
    source.value = 11;
    await there.invalidate('u2', ['breadcrumbs']);
    // One bump drops every folder's entry of that user, without listing their keys.
    expect(await here.read(entryOf('breadcrumbs', 'u2', load, 'folder-a'))).toBe(11);
    expect(await here.read(entryOf('breadcrumbs', 'u2', load, 'folder-b'))).toBe(11);
    await other.quit();
  });

  test('users and topics are kept apart', async () => {
    const cache = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    const mine = counter(1);
    const theirs = counter(2);
    expect(await cache.read(entryOf('usage', 'u3', mine.load))).toBe(1);
    expect(await cache.read(entryOf('usage', 'u4', theirs.load))).toBe(2);
    expect(await cache.read(entryOf('breadcrumbs', 'u3', theirs.load))).toBe(2);
    await cache.invalidate('u4', ['usage']);
    await cache.invalidate('u3', ['breadcrumbs']);
    expect(await cache.read(entryOf('usage', 'u3', mine.load))).toBe(1);
    expect(mine.source.loads).toBe(1);
  });

  test('a value loaded while a write commits is never served after the invalidation', async () => {
    const cache = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = cache.read(
      entryOf('usage', 'u5', async () => {
        await gate;
        return 1; // read from the database before the write committed
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await cache.invalidate('u5', ['usage']); // the write commits and invalidates
    release();
    expect(await slow).toBe(1);
    const { load } = counter(2);
    expect(await cache.read(entryOf('usage', 'u5', load))).toBe(2);
  });

  test('entries expire after a short TTL, and a corrupt entry is a miss', async () => {
    const cache = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    const { source, load } = counter(5);
    await cache.read(entryOf('usage', 'u6', load));
    const [key] = await redis.keys(`${prefix}cache:usage:u6:0:*`);
    if (!key) throw new Error('no entry written');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CACHE_TTL_SECONDS);
    await redis.set(key, '"not a number"', 'EX', 30);
    source.value = 6;
    expect(await cache.read(entryOf('usage', 'u6', load))).toBe(6);
  });

  test('with Redis down, reads come from the source and invalidations do not throw', async () => {
    const down = await openRedis({ REDIS_URL: 'redis://127.0.0.1:1' });
    if (!down) throw new Error('no Redis client');
    const warnings: string[] = [];
    const cache = createRedisMetadataCache({
      redis: down,
      keyPrefix: prefix,
      logger: { warn: (_: unknown, message?: string) => warnings.push(message ?? '') },
    });
    const { source, load } = counter(7);
    expect(await cache.read(entryOf('usage', 'u7', load))).toBe(7);
    source.value = 8;
    expect(await cache.read(entryOf('usage', 'u7', load))).toBe(8);
    await expect(cache.invalidate('u7', ['usage'])).resolves.toBeUndefined();
    expect(warnings).toContain('metadata cache unavailable; reading the database');
    expect(warnings).toContain('could not invalidate the metadata cache');
    down.disconnect();
  });

  test('a failing source fails the read and caches nothing', async () => {
    const cache = createRedisMetadataCache({ redis, keyPrefix: prefix, logger });
    await expect(
      cache.read(entryOf('usage', 'u8', () => Promise.reject(new Error('db down')))),
    ).rejects.toThrow('db down');
    expect(await redis.keys(`${prefix}cache:usage:u8:*`)).toEqual([]);
  });
});
