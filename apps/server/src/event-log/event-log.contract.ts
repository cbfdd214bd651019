import type { DomainEvent } from '@myfile/contract';
import { afterEach, describe, expect, test } from 'vitest';
import type { EventLog } from './event-log.types.js';

const jobEvent = (userId: string, n: number): DomainEvent => ({
  type: 'job.updated',
  userId,
  at: new Date().toISOString(),
  job: { id: `job-${n}`, name: 'test', status: 'running', progress: { n }, error: null },
});

/** One suite for every driver; `create(maxEvents)` gives a fresh, empty log. */
export const describeEventLogContract = (name: string, create: (maxEvents: number) => EventLog) => {
  describe(`event log contract: ${name}`, () => {
    const open: EventLog[] = [];
    const log = (maxEvents = 1000) => {
      const created = create(maxEvents);
      open.push(created);
      return created;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((created) => created.close()));
    });

    test('ids increase and replay returns exactly what came after an id, in order', async () => {
      const events = log();
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) ids.push(await events.append('u1', jobEvent('u1', n)));
      expect(new Set(ids).size).toBe(5);
      const replay = await events.readSince('u1', ids[1] ?? '');
      expect(replay.complete).toBe(true);
      expect(replay.events.map((entry) => entry.id)).toEqual(ids.slice(2));
      expect(
        replay.events.map((entry) => entry.event.type === 'job.updated' && entry.event.job.id),
      ).toEqual(['job-2', 'job-3', 'job-4']);
    });

    test('users never see each other’s events', async () => {
      const events = log();
      const first = await events.append('u1', jobEvent('u1', 1));
      await events.append('u2', jobEvent('u2', 2));
      const replay = await events.readSince('u2', '0-0');
      expect(replay.events.map((entry) => entry.event.userId)).toEqual(['u2']);
      expect((await events.readSince('u1', first)).events).toEqual([]);
    });

    test('the latest id replays nothing and is complete', async () => {
      const events = log();
      const last = await events.append('u1', jobEvent('u1', 1));
      expect(await events.readSince('u1', last)).toEqual({ events: [], complete: true });
    });

    test('an id older than the window kept is reported incomplete', async () => {
      const events = log(3);
      const first = await events.append('u1', jobEvent('u1', 0));
      for (let n = 1; n < 50; n++) await events.append('u1', jobEvent('u1', n));
      const replay = await events.readSince('u1', first);
      expect(replay.complete).toBe(false);
    });

    test('a user with no events and a recent id has missed nothing', async () => {
      const events = log();
      expect(await events.readSince('nobody', `${Date.now() - 1000}-0`)).toEqual({
        events: [],
        complete: true,
      });
      expect((await events.readSince('nobody', '1-0')).complete).toBe(false);
    });
  });
};
