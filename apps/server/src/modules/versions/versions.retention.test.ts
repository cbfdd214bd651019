import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturesOf, type Fixtures } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { userActor } from '../access/access.models.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';
import { defaultRetentionSchedule, versionsToKeep } from './versions.models.js';
import { countBlobs } from './versions.test-utils.js';
import { applyVersionRetention } from './versions.usecases.js';

/** The retention job against the database, on a simulated clock: it keeps what the schedule says. */
let testApp: TestApp;
let fixtures: Fixtures;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('the job keeps exactly the versions the schedule keeps, day after day, and frees the rest', async () => {
  const db = testApp.context.database.db;
  const deps = toFilesDeps(testApp.context);
  const user = await fixtures.newUser();
  const file = await fixtures.newFile(user, { name: 'log.txt', content: 'v0' });
  // 70 replaces spread over 120 days: some days several, some none.
  const start = Date.parse('2026-06-01T09:00:00Z');
  const times: number[] = [];
  for (let index = 1; index <= 70; index++) {
    await uploadFile({
      ...deps,
      actor: userActor(user.userId),
      folderId: user.rootId,
      name: 'log.txt',
      onConflict: 'replace',
      body: Readable.from([Buffer.from(`v${index}`)]),
    });
    times.push(start + Math.floor(((index * 37) % 71) * 1.7 * DAY + index * 5 * HOUR));
  }
  // The versions were kept now; move each to its simulated time.
  const rows = await db
    .selectFrom('file_versions')
    .select('id')
    .where('node_id', '=', file.id)
    .orderBy('id')
    .execute();
  expect(rows).toHaveLength(70);
  for (const [index, row] of rows.entries()) {
    await sql`update file_versions set created_at = ${new Date(times[index] ?? 0)} where id = ${row.id}`.execute(
      db,
    );
  }
  const usedOf = async () =>
    (
      await db
        .selectFrom('storage_usage')
        .select('used_bytes')
        .where('user_id', '=', user.userId)
        .executeTakeFirstOrThrow()
    ).used_bytes;

  let clock = start + 30 * DAY;
  for (let step = 0; step < 12; step++, clock += 9 * DAY + 5 * HOUR) {
    const now = new Date(clock);
    const before = await db
      .selectFrom('file_versions')
      .select(['id', 'created_at', 'size'])
      .where('node_id', '=', file.id)
      .execute();
    const expected = versionsToKeep(
      before.map((row) => ({ id: row.id, createdAt: row.created_at })),
      now,
      defaultRetentionSchedule,
    );
    const usedBefore = await usedOf();
    const blobsBefore = await countBlobs(testApp.context.blobStorage);
    await applyVersionRetention({
      db,
      cache: testApp.context.cache,
      keep: defaultRetentionSchedule,
      now,
    });
    const after = await db
      .selectFrom('file_versions')
      .select('id')
      .where('node_id', '=', file.id)
      .execute();
    expect(new Set(after.map((row) => row.id))).toEqual(expected);
    const freed = before
      .filter((row) => !expected.has(row.id))
      .reduce((sum, row) => sum + row.size, 0);
    expect(await usedOf()).toBe(usedBefore - freed);
    await runQueuedJobs(testApp.context);
    expect(await countBlobs(testApp.context.blobStorage)).toBe(
      blobsBefore - (before.length - expected.size),
    );
  }
  // By the end (about four months on) only weekly survivors are left, fewer than the cap.
  const left = await db
    .selectFrom('file_versions')
    .select('id')
    .where('node_id', '=', file.id)
    .execute();
  expect(left.length).toBeGreaterThan(0);
  expect(left.length).toBeLessThan(30);
});

test('an archived file keeps its versions until it is back', async () => {
  const db = testApp.context.database.db;
  const user = await fixtures.newUser();
  const file = await fixtures.newFile(user, { name: 'frozen.txt', content: 'a' });
  await uploadFile({
    ...toFilesDeps(testApp.context),
    actor: userActor(user.userId),
    folderId: user.rootId,
    name: 'frozen.txt',
    onConflict: 'replace',
    body: Readable.from([Buffer.from('b')]),
  });
  await sql`update nodes set storage_state = 'archived' where id = ${file.id}`.execute(db);
  const later = new Date(Date.now() + 400 * DAY);
  await applyVersionRetention({ db, cache: testApp.context.cache, keep: 'off', now: later });
  const count = async () =>
    (await db.selectFrom('file_versions').select('id').where('node_id', '=', file.id).execute())
      .length;
  expect(await count()).toBe(1);
  await sql`update nodes set storage_state = 'hot' where id = ${file.id}`.execute(db);
  await applyVersionRetention({ db, cache: testApp.context.cache, keep: 'off', now: later });
  expect(await count()).toBe(0);
});
