import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { availableMemoryBytes, pgliteSharedBuffersMb } from './database.js';
import { openPGlite } from './pglite.open.js';

const GiB = 1024 ** 3;

describe('embedded database memory', () => {
  test('shared buffers are 1/1024 of the memory, between 16 and 64 MB', () => {
    expect(pgliteSharedBuffersMb(1 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(16 * GiB)).toBe(16);
    expect(pgliteSharedBuffersMb(24 * GiB)).toBe(24);
    expect(pgliteSharedBuffersMb(64 * GiB)).toBe(64);
    expect(pgliteSharedBuffersMb(256 * GiB)).toBe(64);
  });

  test('a container limit below the machine’s memory is the memory that counts', () => {
    expect(availableMemoryBytes(64 * GiB, 2 * GiB)).toBe(2 * GiB);
    expect(availableMemoryBytes(64 * GiB, 0)).toBe(64 * GiB);
    expect(availableMemoryBytes(64 * GiB, 2 ** 64)).toBe(64 * GiB);
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
