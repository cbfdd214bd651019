import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { openPGlite, pgliteSharedBuffersMb } from './database.js';

const GiB = 1024 ** 3;

describe('embedded database memory', () => {
  test('shared buffers are 1/256 of the machine, between 16 and 64 MB', () => {
    expect(pgliteSharedBuffersMb(1 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(4 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(8 * GiB)).toBe(32);
    expect(pgliteSharedBuffersMb(64 * GiB)).toBe(64);
  });

  test('the embedded database runs with them, not PostgreSQL’s default 128 MB', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-pglite-memory-'));
    const database = await openPGlite({ dataDir: dir });
    try {
      const { rows } = await sql<{
        shared_buffers: string;
      }>`show shared_buffers`.execute(database.db);
      expect(rows[0]?.shared_buffers).toBe(`${pgliteSharedBuffersMb()}MB`);
    } finally {
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
