import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { testRedisUrl } from '../../../test-support/test-services.js';
import { describePubSubContract } from '../../pubsub.contract.js';
import { createRedisPubSub } from './redis.pubsub.js';

// Runs only in `npm run test:services`, where a missing Redis fails the suite.
const keyPrefix = `myfile-test-${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];
afterAll(() => clients.forEach((client) => client.disconnect()));
describePubSubContract('redis', () => {
  const client = new Redis(testRedisUrl());
  clients.push(client);
  return createRedisPubSub({ redis: client, keyPrefix });
});
