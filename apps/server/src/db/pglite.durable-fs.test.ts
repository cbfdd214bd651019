import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { DatabaseHandle } from './database.js';
import { openPGlite } from './pglite.open.js';

describe('the embedded database syncs what it commits', () => {
  let dir: string;
  let database: DatabaseHandle;
  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'myfile-durable-'));
    database = await openPGlite({ dataDir: path.join(dir, 'db') });
    await sql`create table t (n int)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('fsync is on, and the WAL is synced with fsync()', async () => {
    const setting = async (name: string) =>
      (
        await sql<Record<string, string>>`select current_setting(${name}) as value`.execute(
          database.db,
        )
      ).rows[0]?.value;
    expect(await setting('fsync')).toBe('on');
    expect(await setting('wal_sync_method')).toBe('fsync');
    expect(await setting('synchronous_commit')).toBe('on');
  });

  test('every commit reaches the disk through a real fsync of a file under db/', async () => {
    const synced: string[] = [];
    const real = fs.fsyncSync;
    const calls = vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      real(fd);
    });
    try {
      for (let n = 0; n < 10; n++) await sql`insert into t values (${n})`.execute(database.db);
    } finally {
      calls.mockRestore();
    }
    const walSyncs = synced.filter((file) => file.startsWith(path.join(dir, 'db', 'pg_wal')));
    expect(walSyncs.length).toBeGreaterThanOrEqual(10);
  });
});
