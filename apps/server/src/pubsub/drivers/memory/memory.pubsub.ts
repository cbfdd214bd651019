import type { PubSub } from '../../pubsub.types.js';

export type MemoryHub = Map<string, Set<(message: string) => void>>;

/** Instances created with the same hub see each other's messages, like processes on one Redis. */
export const createMemoryPubSub = ({ hub = new Map() }: { hub?: MemoryHub } = {}): PubSub => {
  const mine = new Set<{ channel: string; handler: (message: string) => void }>();
  return {
    driverName: 'memory',
    async publish(channel, message) {
      for (const handler of hub.get(channel) ?? []) queueMicrotask(() => handler(message));
    },
    async subscribe(channel, handler) {
      const handlers = hub.get(channel) ?? new Set();
      hub.set(channel, handlers);
      const wrapped = (message: string) => handler(message);
      handlers.add(wrapped);
      const entry = { channel, handler: wrapped };
      mine.add(entry);
      return async () => {
        handlers.delete(wrapped);
        mine.delete(entry);
      };
    },
    async close() {
      for (const { channel, handler } of mine) hub.get(channel)?.delete(handler);
      mine.clear();
    },
  };
};
