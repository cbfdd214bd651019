import type { DomainEvent } from '@myfile/contract';
import { expect, test, vi } from 'vitest';
import { createEventBus } from './event-bus.js';

const event: DomainEvent = {
  type: 'job.updated',
  userId: 'u1',
  at: new Date(0).toISOString(),
  job: { id: 'j1', name: 'archive', status: 'running', progress: { done: 1 }, error: null },
};

test('every subscriber gets each event, and unsubscribing stops delivery', async () => {
  const bus = createEventBus({ logger: { error: vi.fn() } });
  const first: DomainEvent[] = [];
  const second: DomainEvent[] = [];
  const stop = bus.subscribe((received) => void first.push(received));
  bus.subscribe((received) => void second.push(received));
  bus.publish(event);
  await vi.waitFor(() => expect(second).toHaveLength(1));
  stop();
  bus.publish(event);
  await vi.waitFor(() => expect(second).toHaveLength(2));
  expect(first).toEqual([event]);
});

test('a failing listener is logged and does not stop the others or the publisher', async () => {
  const error = vi.fn();
  const bus = createEventBus({ logger: { error } });
  const received: DomainEvent[] = [];
  bus.subscribe(() => {
    throw new Error('listener broke');
  });
  bus.subscribe((got) => void received.push(got));
  expect(() => bus.publish(event)).not.toThrow();
  await vi.waitFor(() => expect(received).toEqual([event]));
  expect(error).toHaveBeenCalledOnce();
});
