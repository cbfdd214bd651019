import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { testRedisUrl, usesRealServices } from '../test-support/test-services.js';
import { describePubSubContract } from './pubsub.contract.js';
import { createMemoryPubSub, type MemoryHub } from './pubsub.memory.js';
import { createRedisPubSub } from './pubsub.redis.js';

const hub: MemoryHub = new Map();
describePubSubContract('memory', () => createMemoryPubSub({ hub }));

// Redis is a real service: it runs in `npm run test:services`, where a missing Redis fails.
if (usesRealServices()) {
  const keyPrefix = `myfile-test-${randomBytes(4).toString('hex')}:`;
  const clients: Redis[] = [];
  afterAll(() => clients.forEach((client) => client.disconnect()));
  describePubSubContract('redis', () => {
    const client = new Redis(testRedisUrl());
    clients.push(client);
    return createRedisPubSub({ redis: client, keyPrefix });
  });
}

describe('redis pub/sub when Redis is down', () => {
  test('publish and subscribe fail fast with 503 unavailable', async () => {
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    client.on('error', () => {});
    const pubsub = createRedisPubSub({ redis: client });
    try {
      await expect(pubsub.publish('ch', 'x')).rejects.toMatchObject({
        code: 'unavailable',
        statusCode: 503,
      });
      await expect(pubsub.subscribe('ch', () => undefined)).rejects.toMatchObject({
        code: 'unavailable',
      });
    } finally {
      await pubsub.close();
      client.disconnect();
    }
  }, 15_000);
});
