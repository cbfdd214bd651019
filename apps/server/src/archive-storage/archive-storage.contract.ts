import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BlobNotFoundError } from '../blob-storage/blob-storage.errors.js';
import type { ArchiveStorage } from './archive-storage.types.js';

export type ArchiveStorageUnderTest = {
  storage: ArchiveStorage;
  /** Makes pending restores finish, as time does on S3; absent where restores finish at once. */
  completeRestores?: () => void;
  cleanup(): Promise<void>;
};

const sha256 = async (stream: Readable) => {
  const hash = createHash('sha256');
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
};

const payload = Buffer.alloc(3 * 1024 * 1024 + 17, 'archive me, then bring me back. ');

/** One suite for every cold-tier driver. */
export const describeArchiveStorageContract = (
  name: string,
  create: () => Promise<ArchiveStorageUnderTest>,
) => {
  describe(`archive storage contract: ${name}`, () => {
    let subject: ArchiveStorageUnderTest;
    beforeEach(async () => {
      subject = await create();
    });
    afterEach(() => subject.cleanup());

    const waitUntilReadable = async (key: string) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        subject.completeRestores?.();
        if ((await subject.storage.state({ key })) === 'readable') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${key} never became readable.`);
    };

    test('archive, restore, read back the same bytes', async () => {
      const { storage } = subject;
      await storage.put({ key: 'ab/cd/one', body: Readable.from([payload]) });
      expect(await storage.exists({ key: 'ab/cd/one' })).toBe(true);
      await storage.requestRestore({ key: 'ab/cd/one', tier: 'standard' });
      await waitUntilReadable('ab/cd/one');
      expect(await sha256(await storage.get({ key: 'ab/cd/one' }))).toBe(
        createHash('sha256').update(payload).digest('hex'),
      );
    });

    test('asking for a restore twice does no harm', async () => {
      const { storage } = subject;
      await storage.put({ key: 'ab/cd/two', body: Readable.from([payload]) });
      await storage.requestRestore({ key: 'ab/cd/two', tier: 'bulk' });
      await storage.requestRestore({ key: 'ab/cd/two', tier: 'bulk' });
      await waitUntilReadable('ab/cd/two');
      await storage.requestRestore({ key: 'ab/cd/two', tier: 'expedited' });
      expect(await storage.state({ key: 'ab/cd/two' })).toBe('readable');
    });

    test('archiving the same key twice keeps one readable copy', async () => {
      const { storage } = subject;
      await storage.put({ key: 'ab/cd/three', body: Readable.from([payload]) });
      await storage.put({ key: 'ab/cd/three', body: Readable.from([payload]) });
      await storage.requestRestore({ key: 'ab/cd/three', tier: 'standard' });
      await waitUntilReadable('ab/cd/three');
      expect((await sha256(await storage.get({ key: 'ab/cd/three' }))).length).toBe(64);
    });

    test('a missing key is BlobNotFoundError; delete is idempotent', async () => {
      const { storage } = subject;
      await expect(storage.state({ key: 'ab/cd/none' })).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(
        storage.requestRestore({ key: 'ab/cd/none', tier: 'standard' }),
      ).rejects.toBeInstanceOf(BlobNotFoundError);
      await storage.put({ key: 'ab/cd/four', body: Readable.from([payload]) });
      await storage.delete({ key: 'ab/cd/four' });
      await storage.delete({ key: 'ab/cd/four' });
      expect(await storage.exists({ key: 'ab/cd/four' })).toBe(false);
    });

    test('a failing source leaves nothing archived', async () => {
      const { storage } = subject;
      const failing = new Readable({
        read() {
          this.push(payload.subarray(0, 1024));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(storage.put({ key: 'ab/cd/five', body: failing })).rejects.toThrow();
      expect(await storage.exists({ key: 'ab/cd/five' })).toBe(false);
    });
  });
};
