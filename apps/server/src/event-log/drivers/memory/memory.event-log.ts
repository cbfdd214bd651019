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
  const logs = new Map<string, { entries: LoggedEvent[]; lastMs: number; seq: number }>();

  const msOf = (entry: LoggedEvent) => Number(entry.id.slice(0, entry.id.indexOf('-')));

  // Entries are in id order, so everything to drop is at the front: usually nothing is.
  const kept = (userId: string) => {
    const log = logs.get(userId);
    if (!log) return [];
    const oldestMs = now() - window.maxAgeMs;
    let drop = Math.max(0, log.entries.length - window.maxEvents);
    while (drop < log.entries.length && msOf(log.entries[drop] as LoggedEvent) < oldestMs) drop++;
    if (drop > 0) log.entries.splice(0, drop);
    return log.entries;
  };

  return {
    driverName: 'memory',
    async append(userId, event) {
      const log = logs.get(userId) ?? { entries: [], lastMs: 0, seq: 0 };
      logs.set(userId, log);
      const ms = Math.max(now(), log.lastMs);
      log.seq = ms === log.lastMs ? log.seq + 1 : 0;
      log.lastMs = ms;
      const id = `${ms}-${log.seq}`;
      log.entries.push({ id, event });
      kept(userId);
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
