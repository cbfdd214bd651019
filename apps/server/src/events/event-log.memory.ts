import {
  compareEventIds,
  EVENT_LOG_WINDOW,
  isReplayComplete,
  type EventLog,
  type LoggedEvent,
} from './event-log.types.js';

export const createMemoryEventLog = ({
  window = EVENT_LOG_WINDOW,
  now = Date.now,
}: { window?: typeof EVENT_LOG_WINDOW; now?: () => number } = {}): EventLog => {
  const logs = new Map<string, { entries: LoggedEvent[]; lastMs: number; seq: number }>();

  const kept = (userId: string) => {
    const log = logs.get(userId);
    if (!log) return [];
    const oldestMs = now() - window.maxAgeMs;
    log.entries = log.entries
      .slice(-window.maxEvents)
      .filter((entry) => Number(entry.id.split('-')[0]) >= oldestMs);
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
