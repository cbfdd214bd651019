import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { testRedisUrl } from '../../../test-support/test-services.js';
import { describeSessionCacheContract } from '../../session-cache.contract.js';
import { parseCachedSession } from '../../session-cache.types.js';
import { createRedisSessionCache } from './redis.session-cache.js';

// Runs only in `npm run test:services`, where a missing Redis fails the suite.
const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
const prefix = `myfile-test:session-${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describeSessionCacheContract('redis', (ttlSeconds) =>
  createRedisSessionCache(redis, prefix, parseCachedSession, ttlSeconds),
);
