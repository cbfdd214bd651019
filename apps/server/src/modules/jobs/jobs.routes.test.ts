import type { DomainEvent } from '@myfile/contract';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { toJobUpdatedEvent } from '../../job-queue/jobs.models.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import { createJobWorker } from '../../job-queue/jobs.worker.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { SignedInUser } from '../auth/auth.test-utils.js';

const countJob = defineJobType('test.count', z.object({ total: z.number() }));

describe('jobs API', () => {
  let testApp: TestApp;
  let fixtures: Fixtures;
  let alice: FixtureUser;
  let bob: FixtureUser;
  beforeAll(async () => {
    testApp = await createTestApp();
    fixtures = fixturesOf(testApp.context);
    alice = await fixtures.newUser();
    bob = await fixtures.newUser();
  });
  afterAll(() => testApp.close());

  const db = () => testApp.context.database.db;
  const get = (url: string, user: SignedInUser) =>
    testApp.app.inject({ method: 'GET', url, headers: user.headers });

  test('my job is visible with its status; another user’s is 404, as is a missing one', async () => {
    const { id } = await enqueueJob(db(), countJob, { total: 2 }, { ownerId: alice.userId });
    const mine = await get(`/api/jobs/${id}`, alice);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      job: { id, name: 'test.count', status: 'queued', progress: null, error: null },
    });

    const theirs = await get(`/api/jobs/${id}`, bob);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual({ error: { code: 'not_found', message: 'No such job.' } });
    expect((await get('/api/jobs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', alice)).statusCode).toBe(
      404,
    );
    expect((await get('/api/jobs/not-a-uuid', alice)).statusCode).toBe(400);
    expect((await testApp.app.inject({ method: 'GET', url: `/api/jobs/${id}` })).statusCode).toBe(
      401,
    );
  });

  test('the list holds only my jobs, newest first, paged', async () => {
    for (let total = 0; total < 3; total++)
      await enqueueJob(db(), countJob, { total }, { ownerId: bob.userId });
    const first = await get('/api/jobs?limit=2', bob);
    const page = first.json<{ jobs: { id: string }[]; nextBefore: string | null }>();
    expect(page.jobs).toHaveLength(2);
    const rest = await get(`/api/jobs?limit=2&before=${page.nextBefore ?? ''}`, bob);
    const all = [...page.jobs, ...rest.json<{ jobs: { id: string }[] }>().jobs].map(
      (job) => job.id,
    );
    expect(all).toHaveLength(3);
    expect([...all].sort().reverse()).toEqual(all);
    const alicesIds = (await get('/api/jobs', alice))
      .json<{ jobs: { id: string }[] }>()
      .jobs.map((job) => job.id);
    expect(alicesIds.some((id) => all.includes(id))).toBe(false);
  });

  test('the worker announces start, progress and completion to the owner only', async () => {
    const seen: DomainEvent[] = [];
    const stop = testApp.context.events.subscribe((event) => void seen.push(event));
    const { id } = await enqueueJob(db(), countJob, { total: 2 }, { ownerId: alice.userId });
    const worker = createJobWorker({
      db: db(),
      logger: pino({ level: 'silent' }),
      handlers: [
        createJobHandler(countJob, async ({ total }, context) => {
          for (let done = 1; done <= total; done++) await context.reportProgress({ done, total });
        }),
      ],
      onJobChanged: (job) => {
        const event = toJobUpdatedEvent(job);
        if (event) testApp.context.events.publish(event);
      },
    });
    await worker.runUntilIdle();
    await expect
      .poll(() =>
        seen
          .filter((event) => event.type === 'job.updated' && event.job.id === id)
          .map((event) => event.type === 'job.updated' && event.job.status),
      )
      .toEqual(expect.arrayContaining(['running', 'done']));
    const progress = seen.flatMap((event) =>
      event.type === 'job.updated' && event.job.id === id ? [event.job.progress] : [],
    );
    expect(progress).toContainEqual({ done: 2, total: 2 });
    expect(
      seen.every(
        (event) =>
          event.userId === alice.userId || event.type !== 'job.updated' || event.job.id !== id,
      ),
    ).toBe(true);
    stop();
  });
});
