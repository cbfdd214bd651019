import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { migrateToLatest, migrations } from './migrations.js';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyTestDatabase();
  });
  afterAll(() => database.close());

  test('apply from zero, in order, then are a no-op', async () => {
    const applied = await migrateToLatest(database.db);
    expect(applied).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(database.db)).toEqual([]);

    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public'
    `.execute(database.db);
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['jobs', 'job_schedules']),
    );
  });

  test('two processes migrating at once both succeed', async () => {
    const results = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db)]);
    expect(results).toEqual([[], []]);
  });
});

describe('0014_share_link_tokens on a database with links', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyTestDatabase();
  });
  afterAll(() => database.close());

  test('links made before it keep their hash and get no sealed token (not copyable)', async () => {
    const migrator = new Migrator({
      db: database.db,
      provider: { getMigrations: async () => migrations },
    });
    const { error } = await migrator.migrateTo('0013_idempotency_keys');
    expect(error).toBeUndefined();
    const [userId, nodeId, linkId] = [
      '01900000-0000-7000-8000-000000000001',
      '01900000-0000-7000-8000-000000000002',
      '01900000-0000-7000-8000-000000000003',
    ];
    await sql`insert into users (id, email, password_hash) values (${userId}, 'old@example.com', 'x')`.execute(
      database.db,
    );
    await sql`
      insert into nodes (id, owner_id, is_root, is_folder, name, name_key, sort_key, content_type, created_at, updated_at)
      values (${nodeId}, ${userId}, true, true, '', '', '', '', now(), now())
    `.execute(database.db);
    await sql`
      insert into share_links (id, node_id, owner_id, token_hash, role, created_at)
      values (${linkId}, ${nodeId}, ${userId}, 'a-hash', 'viewer', now())
    `.execute(database.db);
    expect(await migrateToLatest(database.db)).toContain('0014_share_link_tokens');
    const rows = await sql<{
      token_hash: string;
      token_sealed: string | null;
      token_kid: string | null;
    }>`
      select token_hash, token_sealed, token_kid from share_links where id = ${linkId}
    `.execute(database.db);
    expect(rows.rows).toEqual([{ token_hash: 'a-hash', token_sealed: null, token_kid: null }]);
    // A sealed token without its key id (or the reverse) is refused.
    await expect(
      sql`update share_links set token_sealed = 'v1.x.y.z' where id = ${linkId}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/share_links_token_sealed_kid/);
  });
});
