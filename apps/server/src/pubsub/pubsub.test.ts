import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { testRedisUrl, usesRealServices } from '../test-support/test-services.js';
import { describePubSubContract } from './pubsub.contract.js';
import { createMemoryPubSub, type MemoryHub } from './pubsub.memory.js';
import { createRedisPubSub } from './pubsub.redis.js';

const hub: MemoryHub = new Map();
describePubSubContract('memory', () => createMemoryPubSub({ hub }));

// Redis is a real service: it runs in `npm run test:services`, where a missing Redis fails.
if (usesRealServices()) {
  const keyPrefix = `myfile-test-${randomBytes(4).toString('hex')}:`;
  describePubSubContract('redis', () => createRedisPubSub({ url: testRedisUrl(), keyPrefix }));
}

describe('redis pub/sub when Redis is down', () => {
  test('publish and subscribe fail fast with 503 unavailable', async () => {
    const pubsub = createRedisPubSub({ url: 'redis://127.0.0.1:1' });
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
    }
  }, 15_000);
});
