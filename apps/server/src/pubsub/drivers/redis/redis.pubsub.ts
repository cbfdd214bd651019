import type { Redis } from 'ioredis';
import { guardRedis } from '../../../app/redis.js';
import type { PubSub } from '../../pubsub.types.js';

/**
 * A Redis connection in subscriber mode can do nothing else, so each instance holds two:
 * one to publish, one to receive. Channels are reference-counted over the one subscriber.
 */
export const createRedisPubSub = ({
  redis,
  keyPrefix = 'myfile:',
}: {
  /** The process's shared client publishes; a duplicate of it subscribes. */
  redis: Redis;
  keyPrefix?: string;
}): PubSub => {
  const publisher = redis;
  const subscriber = redis.duplicate({ lazyConnect: true, enableOfflineQueue: true });
  // Errors surface through the calls that fail; a reconnecting client must not crash the process.
  subscriber.on('error', () => {});
  const handlers = new Map<string, Set<(message: string) => void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });

  return {
    driverName: 'redis',
    publish: (channel, message) =>
      guardRedis(async () => {
        await publisher.publish(keyPrefix + channel, message);
      }),
    subscribe: (channel, handler) =>
      guardRedis(async () => {
        const name = keyPrefix + channel;
        if (subscriber.status === 'wait') await subscriber.connect();
        let set = handlers.get(name);
        if (!set) {
          set = new Set();
          handlers.set(name, set);
          await subscriber.subscribe(name);
        }
        set.add(handler);
        return async () => {
          set.delete(handler);
          if (set.size === 0 && handlers.get(name) === set) {
            handlers.delete(name);
            await subscriber.unsubscribe(name).catch(() => undefined);
          }
        };
      }),
    async close() {
      handlers.clear();
      subscriber.disconnect();
    },
  };
};
