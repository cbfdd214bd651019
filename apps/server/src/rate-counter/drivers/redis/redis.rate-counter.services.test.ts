import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { testRedisUrl } from '../../../test-support/test-services.js';
import { describeRateCounterContract } from '../../rate-counter.contract.js';
import { createRedisRateCounter } from './redis.rate-counter.js';

// Runs only in `npm run test:services`, where a missing Redis fails the suite.
const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
const prefix = `myfile-test:counters-${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

// A fresh prefix per counter, as the memory driver's fresh map: tests do not see each other's keys.
describeRateCounterContract('redis', () =>
  createRedisRateCounter(redis, `${prefix}${randomBytes(4).toString('hex')}:`),
);
