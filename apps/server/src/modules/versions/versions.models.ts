import { z } from 'zod';

/**
 * Which earlier versions of a file are kept. Every version younger than `allForMs` stays; among
 * older ones, the newest of each UTC calendar day stays while younger than `dailyForMs`, and the
 * newest of each week (Monday to Sunday, UTC) while younger than `weeklyForMs`; then only the
 * newest `max` of those. Calendar buckets, not buckets counted back from now, so the newest of a
 * past day or week stays the newest as time passes: a version the schedule keeps today is never
 * swapped for a sibling tomorrow, and applying the schedule twice keeps what once did.
 */
export type RetentionSchedule = {
  allForMs: number;
  dailyForMs: number;
  weeklyForMs: number;
  max: number;
};

/** `off`: a replaced content is not kept at all (and existing versions expire). */
export type VersionsKeep = RetentionSchedule | 'off';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

export const DEFAULT_VERSIONS_KEEP = 'all:24h,daily:30d,weekly,max:50';

export const defaultRetentionSchedule: RetentionSchedule = {
  allForMs: DAY,
  dailyForMs: 30 * DAY,
  weeklyForMs: Number.POSITIVE_INFINITY,
  max: 50,
};

const UNIT_MS: Record<string, number> = { h: HOUR, d: DAY, w: WEEK };

const parseDuration = (text: string): number | undefined => {
  const match = /^(\d{1,6})([hdw])$/.exec(text);
  if (!match) return text === '0' ? 0 : undefined;
  const [, count = '', unit = ''] = match;
  return Number(count) * (UNIT_MS[unit] ?? 0);
};

/**
 * `VERSIONS_KEEP`: `off`, or comma-separated terms `all:<age>`, `daily:<age>`, `weekly[:<age>]`
 * and `max:<count>` (ages like `24h`, `30d`, `52w`; `0` turns a term off); a term left out keeps
 * its default. Returns an error message for anything else.
 */
export const parseVersionsKeep = (text: string): VersionsKeep | { error: string } => {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') return 'off';
  const schedule = { ...defaultRetentionSchedule };
  const fields = { all: 'allForMs', daily: 'dailyForMs', weekly: 'weeklyForMs' } as const;
  for (const term of trimmed.split(',').map((each) => each.trim())) {
    const [name = '', value, ...rest] = term.split(':');
    if (rest.length > 0) return { error: `"${term}" has more than one ':'` };
    if (name === 'max') {
      if (value === undefined || !/^\d{1,4}$/.test(value) || Number(value) < 1)
        return { error: `max needs a count from 1 to 9999, not "${value ?? ''}"` };
      schedule.max = Number(value);
      continue;
    }
    if (name !== 'all' && name !== 'daily' && name !== 'weekly')
      return { error: `unknown term "${term}" (expected all:, daily:, weekly or max:)` };
    if (value === undefined) {
      if (name !== 'weekly') return { error: `${name} needs an age, like ${name}:30d` };
      schedule.weeklyForMs = Number.POSITIVE_INFINITY;
      continue;
    }
    const ms = parseDuration(value);
    if (ms === undefined) return { error: `"${value}" is no age (use h, d or w: 24h, 30d, 52w)` };
    schedule[fields[name]] = ms;
  }
  return schedule;
};

export type DatedVersion = { id: string; createdAt: Date };

const byNewestFirst = (a: DatedVersion, b: DatedVersion) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Days since the epoch (UTC); weeks counted from Monday (1970-01-01 was a Thursday). */
const dayOf = (at: Date) => Math.floor(at.getTime() / DAY);
const weekOf = (at: Date) => Math.floor((dayOf(at) + 3) / 7);

/** The ids of `versions` (one file's) the schedule keeps at `now`. Pure: tests drive the clock. */
export const versionsToKeep = (
  versions: readonly DatedVersion[],
  now: Date,
  keep: VersionsKeep,
): Set<string> => {
  if (keep === 'off') return new Set();
  const days = new Set<number>();
  const weeks = new Set<number>();
  const kept: string[] = [];
  for (const version of [...versions].sort(byNewestFirst)) {
    const age = now.getTime() - version.createdAt.getTime();
    const day = dayOf(version.createdAt);
    const week = weekOf(version.createdAt);
    const newestOfDay = !days.has(day);
    const newestOfWeek = !weeks.has(week);
    days.add(day);
    weeks.add(week);
    if (
      age < keep.allForMs ||
      (newestOfDay && age < keep.dailyForMs) ||
      (newestOfWeek && age < keep.weeklyForMs)
    )
      kept.push(version.id);
  }
  return new Set(kept.slice(0, keep.max));
};

/** The `VERSIONS_KEEP` setting: parsed at start, so a bad value stops the process. */
export const versionsKeepFromEnv = z
  .string()
  .trim()
  .transform((value, context): VersionsKeep => {
    const parsed = parseVersionsKeep(value);
    if (typeof parsed === 'object' && 'error' in parsed) {
      context.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  });
