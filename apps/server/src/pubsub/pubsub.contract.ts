import { afterEach, describe, expect, test, vi } from 'vitest';
import type { PubSub } from './pubsub.types.js';

/**
 * One suite for every driver. `connect()` returns a new instance on the same backend, as a
 * second process would have: what one publishes, the other must receive.
 */
export const describePubSubContract = (name: string, connect: () => PubSub) => {
  describe(`pub/sub contract: ${name}`, () => {
    const open: PubSub[] = [];
    const instance = () => {
      const created = connect();
      open.push(created);
      return created;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((pubsub) => pubsub.close()));
    });

    test('a message reaches a subscriber of another instance', async () => {
      const [a, b] = [instance(), instance()];
      const received: string[] = [];
      await b.subscribe('user:1', (message) => received.push(message));
      await a.publish('user:1', 'hello');
      await vi.waitFor(() => expect(received).toEqual(['hello']));
    });

    test('messages keep their order and every subscriber gets each one', async () => {
      const [a, b, c] = [instance(), instance(), instance()];
      const seenByB: string[] = [];
      const seenByC: string[] = [];
      await b.subscribe('ch', (message) => seenByB.push(message));
      await c.subscribe('ch', (message) => seenByC.push(message));
      for (let i = 0; i < 20; i++) await a.publish('ch', String(i));
      const expected = Array.from({ length: 20 }, (_, i) => String(i));
      await vi.waitFor(() => {
        expect(seenByB).toEqual(expected);
        expect(seenByC).toEqual(expected);
      });
    });

    test('channels are isolated', async () => {
      const [a, b] = [instance(), instance()];
      const received: string[] = [];
      await b.subscribe('user:2', (message) => received.push(message));
      await a.publish('user:3', 'not for you');
      await a.publish('user:2', 'for you');
      await vi.waitFor(() => expect(received).toEqual(['for you']));
    });

    test('unsubscribing stops delivery to that handler only', async () => {
      const [a, b] = [instance(), instance()];
      const first: string[] = [];
      const second: string[] = [];
      const stop = await b.subscribe('ch', (message) => first.push(message));
      await b.subscribe('ch', (message) => second.push(message));
      await a.publish('ch', 'one');
      await vi.waitFor(() => expect(first).toEqual(['one']));
      await stop();
      await a.publish('ch', 'two');
      await vi.waitFor(() => expect(second).toEqual(['one', 'two']));
      expect(first).toEqual(['one']);
    });

    test('a closed instance receives nothing more', async () => {
      const [a, b] = [instance(), instance()];
      const received: string[] = [];
      await b.subscribe('ch', (message) => received.push(message));
      await b.close();
      await a.publish('ch', 'late');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([]);
    });
  });
};
