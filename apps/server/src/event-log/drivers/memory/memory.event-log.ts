import {
  compareEventIds,
  EVENT_LOG_WINDOW,
  isReplayComplete,
  type EventLog,
  type LoggedEvent,
} from '../../event-log.types.js';

export const createMemoryEventLog = ({
  window = EVENT_LOG_WINDOW,
  now = Date.now,
}: { window?: typeof EVENT_LOG_WINDOW; now?: () => number } = {}): EventLog => {
  // Entries before `start` have left the window. They are cut off in one go once they are half
  // the array: cutting one per append copied the whole window (1,000 entries) every time.
  const logs = new Map<
    string,
    { entries: LoggedEvent[]; start: number; lastMs: number; seq: number }
  >();

  const msOf = (entry: LoggedEvent) => Number(entry.id.slice(0, entry.id.indexOf('-')));

  // Entries are in id order, so everything to drop is at the front: usually nothing is.
  const trim = (userId: string) => {
    const log = logs.get(userId);
    if (!log) return undefined;
    const oldestMs = now() - window.maxAgeMs;
    let start = Math.max(log.start, log.entries.length - window.maxEvents);
    while (start < log.entries.length && msOf(log.entries[start] as LoggedEvent) < oldestMs)
      start++;
    log.start = start;
    if (start > 0 && start * 2 >= log.entries.length) {
      log.entries = log.entries.slice(start);
      log.start = 0;
    }
    return log;
  };

  const kept = (userId: string): LoggedEvent[] => {
    const log = trim(userId);
    if (!log) return [];
    return log.start === 0 ? log.entries : log.entries.slice(log.start);
  };

  return {
    driverName: 'memory',
    async append(userId, event) {
      const log = logs.get(userId) ?? { entries: [], start: 0, lastMs: 0, seq: 0 };
      logs.set(userId, log);
      const ms = Math.max(now(), log.lastMs);
      log.seq = ms === log.lastMs ? log.seq + 1 : 0;
      log.lastMs = ms;
      const id = `${ms}-${log.seq}`;
      log.entries.push({ id, event });
      trim(userId);
      return id;
    },
    async readSince(userId, afterId) {
      const entries = kept(userId);
      return {
        events: entries.filter((entry) => compareEventIds(entry.id, afterId) > 0),
        complete: isReplayComplete({
          afterId,
          oldestKeptId: entries[0]?.id,
          now: now(),
          maxAgeMs: window.maxAgeMs,
        }),
      };
    },
    async close() {
      logs.clear();
    },
  };
};
