import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { enqueueDueScheduledJobs } from './jobs.queue.js';
import {
  claimJobs,
  getJobById,
  extendJobLease,
  failAbandonedJobs,
  markJobAttemptFailed,
  markJobDone,
  setJobProgress,
  snoozeJob,
} from './jobs.repository.js';
import type { JobRow } from './jobs.tables.js';
import {
  DEFAULT_LEASE_SECONDS,
  JobSnooze,
  PermanentJobError,
  type JobHandler,
} from './jobs.types.js';

export type JobWorker = {
  start(): void;
  /** Stops fetching, then waits for running jobs (aborting them after `graceMs`). */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Runs due jobs (and due schedules) until none is left; for tests and one-shot runs. */
  runUntilIdle(): Promise<number>;
  /**
   * For the liveness probe: unhealthy when no poll round has finished (well or not) for
   * `stuckAfterMs`, which only a wedged loop does, since every round is bounded by a timeout.
   */
  health(): { ok: boolean; msSinceLastPoll: number };
};

/** Exponential backoff with jitter: 2 s, 4 s, 8 s … capped at one hour. */
export const retryDelaySeconds = (attempt: number) =>
  Math.min(3600, 2 ** attempt) * (0.75 + Math.random() * 0.5);

export const createJobWorker = ({
  db,
  handlers,
  logger,
  concurrency = 4,
  pollIntervalMs = 1000,
  pollTimeoutMs = 60_000,
  stuckAfterMs = 3 * pollTimeoutMs,
  workerId = `${process.pid}-${randomUUID().slice(0, 8)}`,
  onJobChanged,
}: {
  db: Db;
  handlers: JobHandler[];
  logger: Logger;
  concurrency?: number;
  pollIntervalMs?: number;
  /** A poll round (maintenance and claim) taking longer is given up on and logged. */
  pollTimeoutMs?: number;
  stuckAfterMs?: number;
  workerId?: string;
  /** Called with the job's row after it starts, reports progress, finishes or fails. */
  onJobChanged?: (job: JobRow) => void;
}): JobWorker => {
  const byName = new Map(handlers.map((handler) => [handler.name, handler]));
  const leases = handlers.map(({ name, leaseSeconds }) => ({ name, leaseSeconds }));
  const running = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  let loop: Promise<void> | undefined;
  let stopping = new AbortController();

  const announce = (id: string) => {
    if (!onJobChanged) return;
    getJobById(db, { id })
      .then((row) => row && onJobChanged(row))
      .catch((error: unknown) =>
        logger.warn({ err: error, jobId: id }, 'could not announce a job change'),
      );
  };

  const runJob = async (job: JobRow, abort: AbortController) => {
    const handler = byName.get(job.name);
    const leaseSeconds = handler?.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const heartbeat = setInterval(
      () => {
        extendJobLease(db, { id: job.id, workerId, leaseSeconds })
          .then((kept) => {
            if (!kept) abort.abort(new Error('The job lease was lost.'));
          })
          .catch((error: unknown) =>
            logger.warn({ err: error, jobId: job.id }, 'job heartbeat failed'),
          );
      },
      (leaseSeconds * 1000) / 3,
    );
    const log = logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    try {
      if (!handler) throw new Error(`No handler for job ${job.name}.`);
      const result = await handler.run(job.payload, {
        jobId: job.id,
        attempt: job.attempts,
        signal: abort.signal,
        reportProgress: async (progress) => {
          await setJobProgress(db, { id: job.id, workerId, progress });
          announce(job.id);
        },
      });
      await markJobDone(db, { id: job.id, workerId, result });
      announce(job.id);
      log.debug('job done');
    } catch (error) {
      if (error instanceof JobSnooze) {
        await snoozeJob(db, { id: job.id, workerId, seconds: error.seconds }).catch(
          (markError: unknown) => log.error({ err: markError }, 'could not snooze the job'),
        );
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ err: error }, 'job attempt failed');
      await markJobAttemptFailed(db, {
        id: job.id,
        workerId,
        error: message,
        retryInSeconds: retryDelaySeconds(job.attempts),
        permanent: error instanceof PermanentJobError,
      }).catch((markError: unknown) =>
        log.error({ err: markError }, 'could not record job failure'),
      );
      announce(job.id);
    } finally {
      clearInterval(heartbeat);
    }
  };

  // When the last claim filled every free slot there is likely more work queued: a finished
  // job then wakes the poll loop at once instead of leaving its slot idle until the next tick.
  let backlog = false;
  let wake: (() => void) | undefined;

  const launch = (job: JobRow) => {
    const abort = new AbortController();
    const promise = runJob(job, abort).finally(() => {
      running.delete(job.id);
      if (backlog) wake?.();
    });
    running.set(job.id, { promise, abort });
  };

  const fetchAndLaunch = async () => {
    const free = concurrency - running.size;
    if (free <= 0) return 0;
    const jobs = await claimJobs(db, {
      leases,
      limit: free,
      workerId,
    });
    backlog = jobs.length === free;
    jobs.forEach(launch);
    return jobs.length;
  };

  const maintain = async () => {
    await enqueueDueScheduledJobs(db);
    await failAbandonedJobs(db);
  };

  let lastPollAt = Date.now();
  // A round that outlived its timeout is not raced by a second one: its claim would overfill
  // the free slots. The loop keeps ticking, and the probe sees no progress until it settles.
  let pendingRound: Promise<void> | undefined;

  const pollRound = async () => {
    if (pendingRound) return;
    const round = (async () => {
      await maintain();
      await fetchAndLaunch();
    })();
    pendingRound = round;
    void round
      .catch(() => undefined)
      .finally(() => {
        pendingRound = undefined;
        lastPollAt = Date.now();
      });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        round,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`The poll round took longer than ${pollTimeoutMs} ms.`)),
            pollTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const pollLoop = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      // Armed before polling, so a job that finishes while this round polls still cuts the
      // sleep short instead of being missed.
      const woken = new Promise<void>((resolve) => (wake = resolve));
      try {
        await pollRound();
      } catch (error) {
        logger.error({ err: error }, 'job polling failed; retrying');
      }
      await Promise.race([sleep(pollIntervalMs, undefined, { signal }), woken]).catch(
        () => undefined,
      );
    }
  };

  return {
    health() {
      const msSinceLastPoll = pendingRound ? Date.now() - lastPollAt : 0;
      return { ok: msSinceLastPoll < stuckAfterMs, msSinceLastPoll };
    },
    start() {
      if (loop) return;
      stopping = new AbortController();
      loop = pollLoop(stopping.signal);
    },
    async stop({ graceMs = 30_000 } = {}) {
      stopping.abort();
      await loop;
      loop = undefined;
      const all = Promise.all([...running.values()].map((job) => job.promise));
      const timer = setTimeout(() => running.forEach((job) => job.abort.abort()), graceMs);
      await all;
      clearTimeout(timer);
    },
    async runUntilIdle() {
      let total = 0;
      for (;;) {
        await maintain();
        const launched = await fetchAndLaunch();
        total += launched;
        if (running.size === 0 && launched === 0) return total;
        await Promise.race([...running.values()].map((job) => job.promise));
      }
    },
  };
};
