import type { DomainEvent } from '@myfile/contract';

export type LoggedEvent = { id: string; event: DomainEvent };

/**
 * A short per-user history of events, so a client that reconnects can ask for what it missed.
 * Ids are `<ms>-<seq>` (Redis stream ids), increasing within one user's log.
 */
export type EventLog = {
  readonly driverName: 'memory' | 'redis';
  append(userId: string, event: DomainEvent): Promise<string>;
  /**
   * Events after `afterId`, oldest first. `complete` is false when `afterId` is older than
   * the window kept: the client missed more than can be replayed and must reload instead.
   */
  readSince(userId: string, afterId: string): Promise<{ events: LoggedEvent[]; complete: boolean }>;
  close(): Promise<void>;
};

export const EVENT_LOG_WINDOW = { maxEvents: 1000, maxAgeMs: 15 * 60_000 };

/** Compares two `<ms>-<seq>` ids; malformed ids sort first so they replay nothing wrongly. */
export const compareEventIds = (a: string, b: string) => {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
};

export const isEventId = (value: string) => /^\d{1,15}-\d{1,10}$/.test(value);

/**
 * The log drops its oldest events first, so nothing after `afterId` was lost exactly when the
 * client had seen the oldest event still kept. An empty log expired after a quiet window:
 * only a client whose last event is inside that window can have missed nothing.
 */
export const isReplayComplete = ({
  afterId,
  oldestKeptId,
  now,
  maxAgeMs,
}: {
  afterId: string;
  oldestKeptId: string | undefined;
  now: number;
  maxAgeMs: number;
}) =>
  oldestKeptId === undefined
    ? compareEventIds(afterId, `${now - maxAgeMs}-0`) >= 0
    : compareEventIds(afterId, oldestKeptId) >= 0;
