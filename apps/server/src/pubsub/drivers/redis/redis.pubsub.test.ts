import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { createRedisPubSub } from './redis.pubsub.js';

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
