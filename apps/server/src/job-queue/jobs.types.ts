import type { z } from 'zod';

/** What a producer needs to enqueue a job: its name and the shape of its payload. */
export type JobType<P> = {
  readonly name: string;
  readonly payloadSchema: z.ZodType<P>;
  /** Attempts before the job is marked failed. */
  readonly maxAttempts: number;
  /**
   * How long a claim lasts without a heartbeat before another worker may take the job. The
   * worker renews it every third of it while the job runs, so it bounds how long a job whose
   * worker died waits, not how long a job may run.
   */
  readonly leaseSeconds: number;
  /**
   * Higher runs first. Background work a person is not waiting for (indexing) sits below 0, so
   * a burst of it never holds back an archive someone just asked for.
   */
  readonly priority: number;
};

export type JobContext = {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the worker shuts down or loses the job's lease. */
  signal: AbortSignal;
  reportProgress(progress: Record<string, unknown>): Promise<void>;
};

/** A handler with its payload type erased, so a worker can hold handlers of many types. */
export type JobHandler = {
  readonly name: string;
  readonly leaseSeconds: number;
  run(payload: unknown, context: JobContext): Promise<unknown>;
};

/** Long enough for a heartbeat every third of it to survive a busy event loop. */
export const DEFAULT_LEASE_SECONDS = 30;

export const defineJobType = <P>(
  name: string,
  payloadSchema: z.ZodType<P>,
  options: { maxAttempts?: number; leaseSeconds?: number; priority?: number } = {},
): JobType<P> => ({
  name,
  payloadSchema,
  maxAttempts: options.maxAttempts ?? 5,
  leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
  priority: options.priority ?? 0,
});

/** Handlers are idempotent: delivery is at-least-once, so a step may run twice. */
export const createJobHandler = <P>(
  type: JobType<P>,
  handle: (payload: P, context: JobContext) => Promise<unknown>,
): JobHandler => ({
  name: type.name,
  leaseSeconds: type.leaseSeconds,
  run: (payload, context) => handle(type.payloadSchema.parse(payload), context),
});

/**
 * Thrown by a handler that waits on something outside (a Glacier restore): the job goes back
 * to the queue for `seconds` without using up an attempt, and keeps its id and progress.
 */
export class JobSnooze extends Error {
  constructor(readonly seconds: number) {
    super(`Waiting ${seconds} s before the next run.`);
    this.name = 'JobSnooze';
  }
}

/** A failure no retry can fix: the job is failed at once, with this message as its error. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
