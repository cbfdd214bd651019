import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  defaultRetentionSchedule,
  parseVersionsKeep,
  versionsToKeep,
  type DatedVersion,
  type RetentionSchedule,
} from './versions.models.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Wednesday noon, UTC.
const NOW = new Date('2026-12-02T12:00:00Z');

const aged = (id: string, ms: number): DatedVersion => ({
  id,
  createdAt: new Date(NOW.getTime() - ms),
});

const kept = (
  versions: DatedVersion[],
  now = NOW,
  keep: RetentionSchedule = defaultRetentionSchedule,
) => [...versionsToKeep(versions, now, keep)].sort();

describe('the default schedule, by table', () => {
  test.each([
    ['everything younger than 24 h stays', ['1h', '5h', '23h'], ['1h', '5h', '23h']],
    // 2026-11-30 (Monday): 40 h and 44 h old; only the newer of that day stays.
    ['one per day after the first 24 h', ['40h', '44h'], ['40h']],
    // 28 h old is 2026-12-01 08:00; 34 h old is 2026-12-01 02:00: the same day.
    ['the newest of a day may be the only one kept', ['28h', '34h', '60h'], ['28h', '60h']],
    // 35 and 37 days old are 2026-10-28 and 2026-10-26, Wednesday and Monday of one week.
    ['one per week after 30 days', ['35d', '37d', '45d'], ['35d', '45d']],
    // 6 h old and 20 h old are both 2026-12-02... and 2026-12-01 16:00: all under 24 h.
    ['young siblings of one day all stay', ['6h', '20h'], ['20h', '6h']],
  ])('%s', (_name, ages, expected) => {
    const versions = ages.map((age) =>
      aged(age, Number.parseInt(age, 10) * (age.endsWith('d') ? DAY : HOUR)),
    );
    expect(kept(versions)).toEqual([...expected].sort());
  });

  test('at most 50: the newest', () => {
    const versions = Array.from({ length: 80 }, (_, index) =>
      aged(String(index).padStart(2, '0'), index * 60_000),
    );
    expect(kept(versions)).toEqual(
      versions
        .slice(0, 50)
        .map((version) => version.id)
        .sort(),
    );
  });

  test('off keeps nothing', () => {
    expect(versionsToKeep([aged('a', 1)], NOW, 'off').size).toBe(0);
  });
});

describe('VERSIONS_KEEP', () => {
  test('the default text is the default schedule', () => {
    expect(parseVersionsKeep('all:24h,daily:30d,weekly,max:50')).toEqual(defaultRetentionSchedule);
  });
  test('terms left out keep their default; 0 turns one off', () => {
    expect(parseVersionsKeep('max:10, weekly:0')).toEqual({
      ...defaultRetentionSchedule,
      max: 10,
      weeklyForMs: 0,
    });
    expect(parseVersionsKeep('daily:2w,all:0')).toEqual({
      ...defaultRetentionSchedule,
      dailyForMs: 14 * DAY,
      allForMs: 0,
    });
    expect(parseVersionsKeep(' OFF ')).toBe('off');
  });
  test.each(['all', 'all:1y', 'max:0', 'max:abc', 'hourly:2h', 'daily:3d:4', ''])(
    '"%s" is refused',
    (text) => {
      expect(parseVersionsKeep(text)).toHaveProperty('error');
    },
  );
});

const scheduleArb = fc.record({
  allForMs: fc.integer({ min: 0, max: 3 * DAY }),
  dailyForMs: fc.integer({ min: 0, max: 60 * DAY }),
  weeklyForMs: fc.oneof(
    fc.constant(Number.POSITIVE_INFINITY),
    fc.integer({ min: 0, max: 400 * DAY }),
  ),
  max: fc.integer({ min: 1, max: 60 }),
});
const versionsArb = fc.uniqueArray(
  fc.record({
    id: fc.uuid(),
    createdAt: fc.integer({ min: 0, max: 200 * DAY }).map((age) => new Date(NOW.getTime() - age)),
  }),
  { maxLength: 80, selector: (version) => version.id },
);

describe('the schedule, by property', () => {
  test('applying it to what it kept keeps all of it (the job may run twice)', () => {
    fc.assert(
      fc.property(versionsArb, scheduleArb, (versions, schedule) => {
        const first = versionsToKeep(versions, NOW, schedule);
        const again = versionsToKeep(
          versions.filter((version) => first.has(version.id)),
          NOW,
          schedule,
        );
        expect([...again].sort()).toEqual([...first].sort());
      }),
    );
  });

  // Under the cap only: a burst of fresh versions that fills `max` pushes older ones out, and a
  // later look (the burst thinned to one a day) would have room for them again. The job deletes
  // them at the first look, as a cap must.
  test('as the clock moves on, nothing dropped comes back (below the cap)', () => {
    fc.assert(
      fc.property(
        versionsArb,
        scheduleArb,
        fc.integer({ min: 0, max: 90 * DAY }),
        (versions, cappedSchedule, later) => {
          const schedule = { ...cappedSchedule, max: versions.length + 1 };
          const now = versionsToKeep(versions, NOW, schedule);
          const then = versionsToKeep(versions, new Date(NOW.getTime() + later), schedule);
          for (const id of then) expect(now.has(id)).toBe(true);
        },
      ),
    );
  });

  test('never more than max; every young version and every day of the daily window has one', () => {
    fc.assert(
      fc.property(versionsArb, scheduleArb, (versions, schedule) => {
        const keep = versionsToKeep(versions, NOW, schedule);
        expect(keep.size).toBeLessThanOrEqual(schedule.max);
        if (versions.length > schedule.max) return;
        for (const version of versions) {
          const age = NOW.getTime() - version.createdAt.getTime();
          if (age < schedule.allForMs) expect(keep.has(version.id)).toBe(true);
        }
        const dayOf = (version: DatedVersion) => Math.floor(version.createdAt.getTime() / DAY);
        const youngDays = new Set(
          versions
            .filter((version) => NOW.getTime() - version.createdAt.getTime() < schedule.dailyForMs)
            .map(dayOf),
        );
        const keptDays = new Set(versions.filter((version) => keep.has(version.id)).map(dayOf));
        for (const day of youngDays) expect(keptDays.has(day)).toBe(true);
      }),
    );
  });
});
