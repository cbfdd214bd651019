import type { DomainEvent } from '@myfile/contract';
import { describe, expect, test } from 'vitest';
import { describeEventLogContract } from '../../event-log.contract.js';
import { EVENT_LOG_WINDOW } from '../../event-log.types.js';
import { createMemoryEventLog } from './memory.event-log.js';

describeEventLogContract('memory', (maxEvents) =>
  createMemoryEventLog({ window: { ...EVENT_LOG_WINDOW, maxEvents } }),
);

describe('memory event log: the window', () => {
  const event = (n: number): DomainEvent => ({
    type: 'job.updated',
    userId: 'u1',
    at: new Date(0).toISOString(),
    job: { id: `job-${n}`, name: 'test', status: 'running', progress: null, error: null },
  });

  test('holds exactly the newest maxEvents after every append, however many came before', async () => {
    const log = createMemoryEventLog({ window: { ...EVENT_LOG_WINDOW, maxEvents: 7 } });
    const ids: string[] = [];
    for (let n = 0; n < 100; n++) {
      ids.push(await log.append('u1', event(n)));
      const { events } = await log.readSince('u1', '0-0');
      expect(events.map((entry) => entry.id)).toEqual(ids.slice(-7));
    }
  });

  test('drops entries older than maxAgeMs, and only those', async () => {
    let clock = 1_000_000;
    const log = createMemoryEventLog({
      window: { maxEvents: 1000, maxAgeMs: 100 },
      now: () => clock,
    });
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      ids.push(await log.append('u1', event(n)));
      clock += 10;
    }
    // Now 1,000,300: entries made before 1,000,200 are past the age limit.
    const { events } = await log.readSince('u1', '0-0');
    expect(events.map((entry) => entry.id)).toEqual(ids.slice(20));
  });
});
