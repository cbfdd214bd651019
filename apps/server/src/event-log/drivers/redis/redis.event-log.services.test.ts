import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { testRedisUrl } from '../../../test-support/test-services.js';
import { describeEventLogContract } from '../../event-log.contract.js';
import { EVENT_LOG_WINDOW } from '../../event-log.types.js';
import { createRedisEventLog } from './redis.event-log.js';

// Runs only in `npm run test:services`, where a missing Redis fails the suite.
const redis = new Redis(testRedisUrl());
const prefix = `myfile-test-${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});
describeEventLogContract('redis', (maxEvents) =>
  createRedisEventLog({
    redis,
    keyPrefix: `${prefix}${randomBytes(4).toString('hex')}:`,
    // Exact trimming, so the window test is deterministic (production uses the cheap "~").
    window: { ...EVENT_LOG_WINDOW, maxEvents },
    trimming: '=',
  }),
);
