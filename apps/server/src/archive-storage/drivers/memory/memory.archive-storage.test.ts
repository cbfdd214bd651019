import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { describeArchiveStorageContract } from '../../archive-storage.contract.js';
import { ArchiveNotReadableError } from '../../archive-storage.types.js';
import { createMemoryArchiveStorage } from './memory.archive-storage.js';

describeArchiveStorageContract('memory (restores finish when told)', async () => {
  const { storage, completeRestores } = createMemoryArchiveStorage();
  return { storage, completeRestores, cleanup: async () => {} };
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
