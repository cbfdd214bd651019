import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/database.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { upsertNodeOpen } from './recent.repository.js';

const synchronousCommit = async (db: Db) =>
  (await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(db))
    .rows[0]?.value;

describe('recording an open', () => {
  let testApp: TestApp;
  let alice: FixtureUser;
  let fileId: string;
  beforeAll(async () => {
    testApp = await createTestApp();
    const fixtures = fixturesOf(testApp.context);
    alice = await fixtures.newUser();
    fileId = (await fixtures.newFile(alice, { name: 'a.txt', content: 'a' })).id;
  });
  afterAll(() => testApp.close());

  const db = () => testApp.context.database.db;

  test('commits without waiting for the WAL flush, and only that transaction', async () => {
    await db()
      .transaction()
      .execute(async (trx) => {
        await upsertNodeOpen(trx, { userId: alice.userId, nodeId: fileId, at: new Date() });
        expect(await synchronousCommit(trx)).toBe('off');
      });
    await db()
      .connection()
      .execute(async (connection) => {
        await upsertNodeOpen(connection, { userId: alice.userId, nodeId: fileId, at: new Date() });
        expect(await synchronousCommit(connection)).toBe('on');
      });
  });

  test('keeps the latest open', async () => {
    const at = (iso: string) => new Date(iso);
    const record = (iso: string) =>
      upsertNodeOpen(db(), { userId: alice.userId, nodeId: fileId, at: at(iso) });
    const openedAt = async () =>
      (
        await db()
          .selectFrom('node_opens')
          .select('opened_at')
          .where('user_id', '=', alice.userId)
          .where('node_id', '=', fileId)
          .executeTakeFirstOrThrow()
      ).opened_at;
    await record('2030-01-02T00:00:00Z');
    await record('2030-01-01T00:00:00Z');
    expect(new Date(await openedAt()).toISOString()).toBe('2030-01-02T00:00:00.000Z');
    await record('2030-01-03T00:00:00Z');
    expect(new Date(await openedAt()).toISOString()).toBe('2030-01-03T00:00:00.000Z');
  });
});
