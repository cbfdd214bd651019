import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { JobRow, JobStatus } from './jobs.tables.js';

/**
 * A job whose worker vanished this many times is failed: something in it kills its worker
 * (memory, a crash in a native library), and it would otherwise take down every worker in turn.
 */
export const MAX_LOST_RUNS = 10;

/*
 * Every time in the queue is the database's clock (now()), never a process's: workers on
 * several hosts compare leases and due times, and their clocks drift.
 */

/** A job to insert: what `enqueueJob` makes of a job type and its payload. */
export type NewJob = {
  id: string;
  name: string;
  payload: unknown;
  ownerId?: string | undefined;
  /** Due this long after now (the database's now); at once when unset. */
  delaySeconds?: number | undefined;
  singletonKey?: string | undefined;
  maxAttempts: number;
  priority?: number | undefined;
};

/** A job's own columns, as both inserts write them; `delay_seconds` becomes `run_at`. */
const jobColumns = (job: NewJob) => ({
  id: job.id,
  name: job.name,
  payload: JSON.stringify(job.payload),
  owner_id: job.ownerId ?? null,
  max_attempts: job.maxAttempts,
  priority: job.priority ?? 0,
});

const runAt = (delaySeconds: unknown) => sql<Date>`now() + make_interval(secs => ${delaySeconds})`;

const newJobValues = (job: NewJob) => ({
  ...jobColumns(job),
  run_at: runAt(job.delaySeconds ?? 0),
  singleton_key: job.singletonKey ?? null,
  locked_by: null,
  locked_until: null,
  progress: null,
  result: null,
  last_error: null,
  started_at: null,
  finished_at: null,
});

/** A job as `insertJobWhen` places it: its values only, so a statement template can send them. */
export const jobValues = (job: NewJob) => {
  if (job.singletonKey !== undefined)
    throw new Error(`${job.name}: a singleton job needs insertJob.`);
  return { ...jobColumns(job), delay_seconds: job.delaySeconds ?? 0 };
};

export type JobValues = ReturnType<typeof jobValues>;

/**
 * The insert of a job as one part of a data-changing `WITH`, made only when `when` holds: a job
 * written in the statement that makes its cause (a new file) commits with it, atomically,
 * without a transaction around them. A singleton job needs `insertJob` (its conflict rule).
 */
export const insertJobWhen = (job: JobValues, when: RawBuilder<boolean>) => sql`
  insert into jobs (id, name, payload, owner_id, run_at, max_attempts, priority)
  select ${job.id}, ${job.name}, ${job.payload}, ${job.owner_id}, ${runAt(job.delay_seconds)},
    ${job.max_attempts}, ${job.priority}
  where ${when}
`;

export const insertJob = async (db: Db, job: NewJob): Promise<{ id: string; created: boolean }> => {
  const inserted = await db
    .insertInto('jobs')
    .values(newJobValues(job))
    .onConflict((oc) =>
      oc
        .columns(['name', 'singleton_key'])
        .where('singleton_key', 'is not', null)
        // Literals, not parameters: PostgreSQL matches this predicate to the partial unique
        // index when planning, which a reused (generic) plan of a parameter cannot prove.
        .where('status', 'in', [sql.lit<JobStatus>('queued'), sql.lit<JobStatus>('running')])
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', job.name)
    .where('singleton_key', '=', job.singletonKey ?? null)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
};

/**
 * Claims up to `limit` runnable jobs: queued ones that are due, and running ones whose
 * lease ran out (their worker died). SKIP LOCKED lets many workers fetch at once without
 * ever handing the same job to two of them. Taking over a dead worker's job counts a lost
 * run, not an attempt: the job did not fail, its worker vanished.
 *
 * Each job is claimed with its own type's lease: one long-lease type in a worker must not
 * make a short job whose worker dies before its first heartbeat wait out the long lease.
 */
export const claimJobs = async (
  db: Db,
  {
    leases,
    limit,
    workerId,
  }: {
    leases: readonly { name: string; leaseSeconds: number }[];
    limit: number;
    workerId: string;
  },
): Promise<JobRow[]> => {
  if (leases.length === 0 || limit <= 0) return [];
  const names = leases.map((lease) => lease.name);
  const leaseOfName = sql.join(
    leases.map(({ name, leaseSeconds }) => sql`when ${name} then cast(${leaseSeconds} as integer)`),
    sql` `,
  );
  const result = await sql<JobRow>`
    update jobs set
      attempts = case when status = 'running' then attempts else attempts + 1 end,
      lost_runs = case when status = 'running' then lost_runs + 1 else lost_runs end,
      status = 'running',
      locked_by = ${workerId},
      locked_until = now() + make_interval(secs => case name ${leaseOfName} end),
      started_at = coalesce(started_at, now()),
      updated_at = now()
    where id in (
      select id from jobs
      where name in (${sql.join(names)})
        and (
          (status = 'queued' and run_at <= now())
          or (status = 'running' and locked_until < now() and lost_runs < ${MAX_LOST_RUNS})
        )
      order by priority desc, run_at
      limit ${limit}
      for update skip locked
    )
    returning *
  `.execute(db);
  return result.rows;
};

export const extendJobLease = async (
  db: Db,
  { id, workerId, leaseSeconds }: { id: string; workerId: string; leaseSeconds: number },
): Promise<boolean> => {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
};

export const setJobProgress = async (
  db: Db,
  { id, workerId, progress }: { id: string; workerId: string; progress: unknown },
) => {
  await db
    .updateTable('jobs')
    .set({ progress: JSON.stringify(progress), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
};

/** Guarded by `locked_by`: a worker whose lease was taken over must not overwrite the new run. */
export const markJobDone = async (
  db: Db,
  { id, workerId, result }: { id: string; workerId: string; result: unknown },
): Promise<boolean> => {
  const updated = await db
    .updateTable('jobs')
    .set({
      status: 'done',
      result: result === undefined ? null : JSON.stringify(result),
      last_error: null,
      locked_by: null,
      locked_until: null,
      finished_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
};

/**
 * Back to the queue after `retryInSeconds`, or failed for good when attempts are used up
 * (or at once when `permanent`).
 */
export const markJobAttemptFailed = async (
  db: Db,
  {
    id,
    workerId,
    error,
    retryInSeconds,
    permanent = false,
  }: { id: string; workerId: string; error: string; retryInSeconds: number; permanent?: boolean },
) => {
  await sql`
    update jobs set
      status = case when ${permanent} or attempts >= max_attempts then 'failed' else 'queued' end,
      run_at = now() + make_interval(secs => ${retryInSeconds}),
      finished_at = case when ${permanent} or attempts >= max_attempts then now() else null end,
      last_error = ${error},
      locked_by = null,
      locked_until = null,
      updated_at = now()
    where id = ${id} and locked_by = ${workerId} and status = 'running'
  `.execute(db);
};

/** Back to the queue until `seconds` from now; the run that snoozed does not count as an attempt. */
export const snoozeJob = async (
  db: Db,
  { id, workerId, seconds }: { id: string; workerId: string; seconds: number },
) => {
  await sql`
    update jobs set
      status = 'queued',
      attempts = greatest(attempts - 1, 0),
      run_at = now() + make_interval(secs => ${seconds}),
      locked_by = null,
      locked_until = null,
      updated_at = now()
    where id = ${id} and locked_by = ${workerId} and status = 'running'
  `.execute(db);
};

/** Jobs that lost their worker too often would otherwise stay "running" forever. */
export const failAbandonedJobs = async (db: Db): Promise<number> => {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      last_error: `The worker running this job stopped responding ${MAX_LOST_RUNS} times.`,
      locked_by: null,
      locked_until: null,
      finished_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('status', '=', 'running')
    .where('locked_until', '<', sql<Date>`now()`)
    .where('lost_runs', '>=', MAX_LOST_RUNS)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

export const getJobById = (db: Db, { id }: { id: string }) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();

export const upsertJobSchedule = async (
  db: Db,
  schedule: {
    name: string;
    jobName: string;
    payload: unknown;
    intervalSeconds: number;
    maxAttempts: number;
  },
) => {
  await db
    .insertInto('job_schedules')
    .values({
      name: schedule.name,
      job_name: schedule.jobName,
      payload: JSON.stringify(schedule.payload),
      interval_seconds: schedule.intervalSeconds,
      max_attempts: schedule.maxAttempts,
      next_run_at: sql<Date>`now() + make_interval(secs => ${schedule.intervalSeconds})`,
    })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        job_name: eb.ref('excluded.job_name'),
        payload: eb.ref('excluded.payload'),
        interval_seconds: eb.ref('excluded.interval_seconds'),
        max_attempts: eb.ref('excluded.max_attempts'),
        // A shorter interval takes effect now rather than after the old, longer wait.
        next_run_at: sql<Date>`least(job_schedules.next_run_at, excluded.next_run_at)`,
      })),
    )
    .execute();
};

/** Due schedules, locked for this transaction and moved to their next run. */
export const takeDueSchedules = async (db: Db) => {
  const result = await sql<{
    name: string;
    job_name: string;
    payload: unknown;
    max_attempts: number;
  }>`
    update job_schedules set next_run_at = now() + make_interval(secs => interval_seconds)
    where name in (
      select name from job_schedules where next_run_at <= now() for update skip locked
    )
    returning name, job_name, payload, max_attempts
  `.execute(db);
  return result.rows;
};

/** What the worker reports for autoscaling and the queue-age alarm. */
export const getQueueStats = async (db: Db) => {
  const result = await sql<{ depth: number; oldest_seconds: number | null }>`
    select count(*) as depth, extract(epoch from now() - min(run_at))::float8 as oldest_seconds
    from jobs where status = 'queued' and run_at <= now()
  `.execute(db);
  const row = result.rows[0];
  return {
    queueDepth: row?.depth ?? 0,
    oldestJobAgeSeconds: Math.max(0, Math.round(row?.oldest_seconds ?? 0)),
  };
};

/** A user's jobs, newest first; `before` is the last id of the previous page (ids are uuidv7). */
export const listJobsOfOwner = (
  db: Db,
  { ownerId, limit, before }: { ownerId: string; limit: number; before?: string | undefined },
) => {
  let query = db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
};

/** Done and failed jobs that finished more than `days` ago; returns how many. */
export const deleteJobsFinishedBefore = async (db: Db, { days }: { days: number }) => {
  const result = await db
    .deleteFrom('jobs')
    .where('status', 'in', ['done', 'failed'])
    .where('finished_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
};
