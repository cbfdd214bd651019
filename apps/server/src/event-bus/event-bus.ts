import type { DomainEvent } from '@myfile/contract';
import type { Logger } from 'pino';

export type EventListener = (event: DomainEvent) => void | Promise<void>;

/**
 * In-process fan-out of domain events. Use cases publish after their transaction commits;
 * the WebSocket bridge, mail and thumbnails subscribe instead of being called inline.
 * A failing listener is logged and never fails the publisher or the other listeners.
 */
export type EventBus = {
  publish(event: DomainEvent): void;
  subscribe(listener: EventListener): () => void;
};

export const createEventBus = ({ logger }: { logger: Pick<Logger, 'error'> }): EventBus => {
  const listeners = new Set<EventListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) =>
            logger.error({ err: error, event: event.type }, 'event listener failed'),
          );
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
