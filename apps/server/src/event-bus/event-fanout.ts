import type { DomainEvent } from '@myfile/contract';
import type { Logger } from 'pino';
import type { PubSub } from '../pubsub/pubsub.types.js';
import type { EventBus } from './event-bus.js';
import type { EventLog } from '../event-log/event-log.types.js';

/** What travels on a user's channel and down their sockets. */
export type EventEnvelope = { id: string; event: DomainEvent };

export const userChannel = (userId: string) => `events:user:${userId}`;

/**
 * Every domain event raised in this process is numbered in the user's replay log, then
 * published on the user's channel, which every API process's sockets for that user listen to.
 * `audience` names who else sees it (the sharees of a shared subtree): each gets a copy
 * addressed to them, through their own log and channel.
 */
export const startEventFanout = ({
  events,
  eventLog,
  pubsub,
  logger,
  audience,
  channels,
}: {
  events: EventBus;
  eventLog: EventLog;
  pubsub: PubSub;
  logger: Pick<Logger, 'warn'>;
  audience?: (event: DomainEvent) => Promise<string[]>;
  /** Other channels that hear of it, each in its own words (share links' visitors). */
  channels?: (event: DomainEvent) => Promise<{ channel: string; message: string }[]>;
}) => {
  const deliver = async (event: DomainEvent) => {
    try {
      const id = await eventLog.append(event.userId, event);
      const envelope: EventEnvelope = { id, event };
      await pubsub.publish(userChannel(event.userId), JSON.stringify(envelope));
    } catch (error) {
      // Losing a live notification must never fail the change that raised it.
      logger.warn({ err: error, event: event.type }, 'could not fan out an event');
    }
  };
  return events.subscribe(async (event) => {
    await deliver(event);
    const others = await (audience?.(event) ?? Promise.resolve([])).catch((error: unknown) => {
      logger.warn({ err: error, event: event.type }, 'could not find who else sees an event');
      return [];
    });
    for (const userId of others) await deliver({ ...event, userId });
    try {
      for (const { channel, message } of (await channels?.(event)) ?? []) {
        await pubsub.publish(channel, message);
      }
    } catch (error) {
      logger.warn({ err: error, event: event.type }, 'could not tell share links of an event');
    }
  });
};
