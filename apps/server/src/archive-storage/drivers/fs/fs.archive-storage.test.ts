import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { describeArchiveStorageContract } from '../../archive-storage.contract.js';
import { createFsArchiveStorage } from './fs.archive-storage.js';

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
