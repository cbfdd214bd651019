import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { enqueueDueScheduledJobs, enqueueJob, ensureJobSchedule, newJob } from './jobs.queue.js';
import { claimJobs, getJobById, jobValues, markJobDone, MAX_LOST_RUNS } from './jobs.repository.js';
import { createJobHandler, defineJobType, type JobHandler } from './jobs.types.js';
import { createJobWorker } from './jobs.worker.js';

const logger = pino({ level: 'silent' });
const echoJob = defineJobType('test.echo', z.object({ n: z.number() }), {
  maxAttempts: 3,
  leaseSeconds: 1,
});

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.deleteFrom('jobs').execute();
  await database.db.deleteFrom('job_schedules').execute();
});

const makeWorker = (handlers: JobHandler[], workerId?: string) =>
  createJobWorker({
    db: database.db,
    handlers,
    logger,
    pollIntervalMs: 20,
    ...(workerId ? { workerId } : {}),
  });

/** Failed attempts wait for their backoff; tests make them due now instead of sleeping. */
const makeRetriesDue = () =>
  database.db
    .updateTable('jobs')
    .set({ run_at: new Date(0) })
    .where('status', '=', 'queued')
    .execute();

describe('enqueueing', () => {
  test('a job enqueued in a rolled-back transaction never exists', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, echoJob, { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await database.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  test('a job enqueued with its change runs once it commits', async () => {
    const seen: number[] = [];
    const { id } = await database.db
      .transaction()
      .execute((trx) => enqueueJob(trx, echoJob, { n: 7 }));
    await makeWorker([createJobHandler(echoJob, async ({ n }) => seen.push(n))]).runUntilIdle();
    expect(seen).toEqual([7]);
    expect(await getJobById(database.db, { id })).toMatchObject({
      status: 'done',
      attempts: 1,
      last_error: null,
    });
  });

  test('a payload that does not match its schema is refused at enqueue', async () => {
    await expect(
      enqueueJob(database.db, echoJob, { n: 'x' } as unknown as { n: number }),
    ).rejects.toThrow();
  });

  test("a background type's jobs wait behind others queued after them", async () => {
    const backgroundJob = defineJobType('test.background', z.object({ n: z.number() }), {
      priority: -10,
    });
    for (let n = 0; n < 3; n++) await enqueueJob(database.db, backgroundJob, { n });
    await enqueueJob(database.db, echoJob, { n: 99 });
    const claimed = await claimJobs(database.db, {
      leases: [echoJob, backgroundJob],
      limit: 1,
      workerId: 'w',
    });
    expect(claimed.map((job) => job.name)).toEqual([echoJob.name]);
  });

  test('a singleton key keeps one live job', async () => {
    const first = await enqueueJob(database.db, echoJob, { n: 1 }, { singletonKey: 'k' });
    const second = await enqueueJob(database.db, echoJob, { n: 2 }, { singletonKey: 'k' });
    expect(second).toEqual({ id: first.id, created: false });
    await makeWorker([createJobHandler(echoJob, async () => undefined)]).runUntilIdle();
    const third = await enqueueJob(database.db, echoJob, { n: 3 }, { singletonKey: 'k' });
    expect(third.created).toBe(true);
  });
});

describe('running', () => {
  test('a failing job is retried with backoff, its error visible, until it succeeds', async () => {
    let calls = 0;
    const handler = createJobHandler(echoJob, async () => {
      calls += 1;
      if (calls < 3) throw new Error(`flaky ${calls}`);
      return { ok: true };
    });
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    const worker = makeWorker([handler]);

    await worker.runUntilIdle();
    const afterFirst = await getJobById(database.db, { id });
    expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1, last_error: 'flaky 1' });
    expect(afterFirst?.run_at.getTime()).toBeGreaterThan(Date.now());

    await makeRetriesDue();
    await worker.runUntilIdle();
    await makeRetriesDue();
    await worker.runUntilIdle();
    expect(await getJobById(database.db, { id })).toMatchObject({
      status: 'done',
      attempts: 3,
      result: { ok: true },
    });
  });

  test('a job that keeps failing ends failed after max attempts', async () => {
    const handler = createJobHandler(echoJob, async () => {
      throw new Error('always');
    });
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    const worker = makeWorker([handler]);
    for (let i = 0; i < 5; i++) {
      await worker.runUntilIdle();
      await makeRetriesDue();
    }
    const job = await getJobById(database.db, { id });
    expect(job).toMatchObject({ status: 'failed', attempts: 3, last_error: 'always' });
    expect(job?.finished_at).toBeInstanceOf(Date);
  });

  test('progress reported by a handler is visible on the job', async () => {
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    await makeWorker([
      createJobHandler(echoJob, async (_payload, context) => {
        await context.reportProgress({ done: 1, total: 2 });
      }),
    ]).runUntilIdle();
    expect((await getJobById(database.db, { id }))?.progress).toEqual({ done: 1, total: 2 });
  });

  test('two workers never run the same job', async () => {
    const runs = new Map<number, number>();
    const handler = createJobHandler(echoJob, async ({ n }) => {
      runs.set(n, (runs.get(n) ?? 0) + 1);
      await sleep(1);
    });
    for (let n = 0; n < 60; n++) await enqueueJob(database.db, echoJob, { n });
    await Promise.all([
      makeWorker([handler], 'a').runUntilIdle(),
      makeWorker([handler], 'b').runUntilIdle(),
    ]);
    expect(runs.size).toBe(60);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
  });

  test('a job whose worker died is picked up again after its lease, without using an attempt, and the dead worker cannot overwrite it', async () => {
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    const [claimed] = await claimJobs(database.db, {
      leases: [echoJob],
      limit: 1,
      workerId: 'dead',
    });
    expect(claimed?.id).toBe(id);

    const alive = makeWorker([createJobHandler(echoJob, async () => 'second run')], 'alive');
    expect(await alive.runUntilIdle()).toBe(0); // still leased by the dead worker
    await sleep(1_100); // the lease runs out on the database's clock
    expect(await alive.runUntilIdle()).toBe(1);

    expect(await markJobDone(database.db, { id, workerId: 'dead', result: 'stale' })).toBe(false);
    expect(await getJobById(database.db, { id })).toMatchObject({
      status: 'done',
      attempts: 1,
      lost_runs: 1,
      result: 'second run',
    });
  });

  test('a short job is claimed with its own lease, not the longest one its worker handles', async () => {
    const longJob = defineJobType('test.long', z.object({}), { leaseSeconds: 600 });
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    // The worker that dies before its first heartbeat handles a long-lease type too.
    const [claimed] = await claimJobs(database.db, {
      leases: [longJob, echoJob],
      limit: 1,
      workerId: 'dead',
    });
    expect(claimed?.id).toBe(id);
    const lease = await sql<{ seconds: number }>`
      select extract(epoch from locked_until - now())::float8 as seconds from jobs where id = ${id}
    `.execute(database.db);
    expect(lease.rows[0]?.seconds).toBeLessThanOrEqual(echoJob.leaseSeconds);

    await sleep(1_100);
    const alive = makeWorker([createJobHandler(echoJob, async () => 'taken over')], 'alive');
    expect(await alive.runUntilIdle()).toBe(1);
    expect(await getJobById(database.db, { id })).toMatchObject({ status: 'done', lost_runs: 1 });
  });

  test('a job on its last attempt whose worker died still gets that attempt', async () => {
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    await sql`update jobs set status = 'running', attempts = 3, locked_by = 'dead', locked_until = now() - interval '1 second' where id = ${id}`.execute(
      database.db,
    );
    await makeWorker([createJobHandler(echoJob, async () => 'ran')]).runUntilIdle();
    expect(await getJobById(database.db, { id })).toMatchObject({
      status: 'done',
      attempts: 3,
      lost_runs: 1,
    });
  });

  test('a job whose worker vanished too often is marked failed, not left running', async () => {
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    await sql`update jobs set status = 'running', lost_runs = ${MAX_LOST_RUNS}, locked_by = 'dead', locked_until = now() - interval '1 second' where id = ${id}`.execute(
      database.db,
    );
    await makeWorker([createJobHandler(echoJob, async () => undefined)]).runUntilIdle();
    const job = await getJobById(database.db, { id });
    expect(job?.status).toBe('failed');
    expect(job?.last_error).toMatch(/stopped responding/);
  });

  test('a job running longer than its lease keeps it: the heartbeat renews it', async () => {
    const runs: string[] = [];
    const slow = (worker: string) =>
      createJobHandler(echoJob, async () => {
        runs.push(worker);
        await sleep(2_500); // two and a half leases
      });
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    const first = makeWorker([slow('first')], 'first');
    first.start();
    await expect.poll(() => runs.length).toBe(1);
    const second = makeWorker([slow('second')], 'second');
    second.start();
    await expect
      .poll(async () => (await getJobById(database.db, { id }))?.status, { timeout: 10_000 })
      .toBe('done');
    await Promise.all([first.stop(), second.stop()]);
    expect(runs).toEqual(['first']);
    expect(await getJobById(database.db, { id })).toMatchObject({ attempts: 1, lost_runs: 0 });
  });

  test('the polling loop picks up new jobs and stop() waits for the running one', async () => {
    let finished = false;
    const worker = makeWorker([
      createJobHandler(echoJob, async () => {
        await sleep(100);
        finished = true;
      }),
    ]);
    worker.start();
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 });
    await expect
      .poll(async () => (await getJobById(database.db, { id }))?.status, { timeout: 5000 })
      .toBe('running');
    await worker.stop();
    expect(finished).toBe(true);
    expect((await getJobById(database.db, { id }))?.status).toBe('done');
  });
});

test('a backlog drains job after job, without waiting a poll interval between them', async () => {
  const done: number[] = [];
  const worker = createJobWorker({
    db: database.db,
    handlers: [
      createJobHandler(echoJob, async ({ n }) => {
        done.push(n);
      }),
    ],
    logger,
    concurrency: 1,
    // Far longer than the test may take: only the wake-up on a finished job can drain it.
    pollIntervalMs: 60_000,
  });
  for (let n = 0; n < 5; n += 1) await enqueueJob(database.db, echoJob, { n });
  worker.start();
  await expect.poll(() => done.length, { timeout: 10_000 }).toBe(5);
  await worker.stop();
});

describe('schedules', () => {
  test('a due schedule becomes exactly one job even with two schedulers racing', async () => {
    await ensureJobSchedule(database.db, {
      name: 'every-hour',
      type: echoJob,
      payload: { n: 1 },
      intervalSeconds: 3600,
    });
    expect(await enqueueDueScheduledJobs(database.db)).toBe(0);
    await database.db
      .updateTable('job_schedules')
      .set({ next_run_at: new Date(0) })
      .execute();

    const counts = await Promise.all([
      enqueueDueScheduledJobs(database.db),
      enqueueDueScheduledJobs(database.db),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const jobs = await database.db.selectFrom('jobs').select(['name', 'payload']).execute();
    expect(jobs).toEqual([{ name: 'test.echo', payload: { n: 1 } }]);
    const schedule = await database.db
      .selectFrom('job_schedules')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(schedule.next_run_at.getTime()).toBeGreaterThan(Date.now() + 3500_000);
  });

  test("a scheduled job gets its type's max attempts", async () => {
    const patientJob = defineJobType('test.patient', z.object({}), { maxAttempts: 9 });
    await ensureJobSchedule(database.db, {
      name: 'patient',
      type: patientJob,
      payload: {},
      intervalSeconds: 60,
    });
    await database.db
      .updateTable('job_schedules')
      .set({ next_run_at: new Date(0) })
      .execute();
    expect(await enqueueDueScheduledJobs(database.db)).toBe(1);
    const job = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job.max_attempts).toBe(9);
  });
});

test("every time in the queue is the database's clock, not the process's", async () => {
  // A process whose clock runs an hour fast must neither run jobs early nor fail leases. (The
  // embedded database reads this process's clock too, so only PostgreSQL can tell them apart.)
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
  try {
    const { id } = await enqueueJob(database.db, echoJob, { n: 1 }, { delaySeconds: 600 });
    const [row] = (
      await sql<{ ahead: number }>`
        select extract(epoch from run_at - now())::float8 as ahead from jobs where id = ${id}`.execute(
        database.db,
      )
    ).rows;
    expect(row?.ahead).toBeGreaterThan(590);
    expect(row?.ahead).toBeLessThan(610);
    // A live lease is not "abandoned" whatever this process's clock says.
    await sql`update jobs set status = 'running', lost_runs = ${MAX_LOST_RUNS}, locked_by = 'w', locked_until = now() + interval '30 seconds' where id = ${id}`.execute(
      database.db,
    );
    const worker = makeWorker([createJobHandler(echoJob, async () => undefined)]);
    await worker.runUntilIdle();
    expect((await getJobById(database.db, { id }))?.status).toBe('running');
  } finally {
    vi.useRealTimers();
  }
});

test('the liveness probe fails while a poll round is stuck, and recovers once it moves again', async () => {
  const worker = createJobWorker({
    db: database.db,
    handlers: [createJobHandler(echoJob, async () => undefined)],
    logger,
    pollIntervalMs: 20,
    pollTimeoutMs: 100,
    stuckAfterMs: 300,
  });
  worker.start();
  await expect.poll(() => worker.health().ok).toBe(true);
  // A transaction holding the queue's table makes every poll wait on it, as a wedged
  // connection would.
  let release: () => void = () => undefined;
  const held = database.db.transaction().execute(async (trx) => {
    await sql`lock table jobs in access exclusive mode`.execute(trx);
    await new Promise<void>((resolve) => (release = resolve));
  });
  await expect.poll(() => worker.health().ok, { timeout: 5_000 }).toBe(false);
  expect(worker.health().msSinceLastPoll).toBeGreaterThanOrEqual(300);
  release();
  await held;
  await expect.poll(() => worker.health().ok, { timeout: 5_000 }).toBe(true);
  await worker.stop();
});

test('a job written inside another statement cannot be a singleton: its conflict rule needs insertJob', () => {
  expect(() => jobValues(newJob(echoJob, { n: 1 }, { singletonKey: 'once' }))).toThrow(
    /singleton job needs insertJob/,
  );
  expect(jobValues(newJob(echoJob, { n: 1 }))).toMatchObject({ payload: '{"n":1}' });
});
