import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { describeArchiveStorageContract } from './archive-storage.contract.js';
import { createFsArchiveStorage } from './archive-storage.fs.js';
import { createMemoryArchiveStorage } from './archive-storage.memory.js';
import { ArchiveNotReadableError } from './archive-storage.types.js';

describeArchiveStorageContract('memory (restores finish when told)', async () => {
  const { storage, completeRestores } = createMemoryArchiveStorage();
  return { storage, completeRestores, cleanup: async () => {} };
});

describeArchiveStorageContract('fs (gzip on disk)', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-archive-'));
  return {
    storage: createFsArchiveStorage({ root }),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
});

test('fs: the cold copy is compressed', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-archive-'));
  try {
    const storage = createFsArchiveStorage({ root });
    const text = Buffer.alloc(1024 * 1024, 'a very compressible line\n');
    const { size } = await storage.put({ key: 'ab/cd/text', body: Readable.from([text]) });
    expect(size).toBeLessThan(text.byteLength / 20);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('memory: a restore not finished yet is not readable, and a failed one goes back to archived', async () => {
  const { storage, failRestores } = createMemoryArchiveStorage();
  await storage.put({ key: 'k', body: Readable.from([Buffer.from('x')]) });
  expect(await storage.state({ key: 'k' })).toBe('archived');
  await expect(storage.get({ key: 'k' })).rejects.toBeInstanceOf(ArchiveNotReadableError);
  await storage.requestRestore({ key: 'k', tier: 'standard' });
  expect(await storage.state({ key: 'k' })).toBe('restoring');
  failRestores();
  expect(await storage.state({ key: 'k' })).toBe('archived');
});
