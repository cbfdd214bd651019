import { domainEventSchema } from '@myfile/contract';
import type { Redis } from 'ioredis';
import { guardRedis } from '../../../app/redis.js';
import {
  EVENT_LOG_WINDOW,
  isReplayComplete,
  type EventLog,
  type LoggedEvent,
} from '../../event-log.types.js';

/**
 * One Redis stream per user, capped by length, expiring when the user is idle. Stream ids are
 * assigned by Redis, so several API processes appending for one user still agree on the order.
 */
export const createRedisEventLog = ({
  redis,
  keyPrefix = 'myfile:',
  window = EVENT_LOG_WINDOW,
  trimming = '~',
}: {
  redis: Redis;
  keyPrefix?: string;
  window?: typeof EVENT_LOG_WINDOW;
  /** `~` lets Redis trim whole nodes (cheap, keeps at least maxEvents); `=` trims exactly. */
  trimming?: '~' | '=';
}): EventLog => {
  const key = (userId: string) => `${keyPrefix}events:${userId}`;
  return {
    driverName: 'redis',
    append: (userId, event) =>
      guardRedis(async () => {
        const result = await redis
          .multi()
          .xadd(key(userId), 'MAXLEN', trimming, window.maxEvents, '*', 'e', JSON.stringify(event))
          .pexpire(key(userId), window.maxAgeMs)
          .exec();
        const id = result?.[0]?.[1];
        if (typeof id !== 'string') throw new Error('XADD returned no id.');
        return id;
      }),
    readSince: (userId, afterId) =>
      guardRedis(async () => {
        const [entries, [oldest]] = await Promise.all([
          redis.xrange(key(userId), `(${afterId}`, '+'),
          redis.xrange(key(userId), '-', '+', 'COUNT', 1),
        ]);
        const events: LoggedEvent[] = [];
        for (const [id, fields] of entries) {
          const parsed = domainEventSchema.safeParse(JSON.parse(fields[1] ?? 'null'));
          if (parsed.success) events.push({ id, event: parsed.data });
        }
        return {
          events,
          complete: isReplayComplete({
            afterId,
            oldestKeptId: oldest?.[0],
            now: Date.now(),
            maxAgeMs: window.maxAgeMs,
          }),
        };
      }),
    async close() {},
  };
};
