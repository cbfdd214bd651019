import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  BlobTooLargeError,
  InvalidBlobKeyError,
} from './blob-storage.errors.js';
import { createBlobKey } from './blob-storage.keys.js';
import {
  collect,
  generatedStream,
  hashStream,
  patternBytes,
  readAll,
  sha256Of,
  sha256OfPattern,
} from './blob-storage.test-utils.js';
import type { BlobStorage } from './blob-storage.types.js';

export type BlobStorageHarness = { storage: BlobStorage; cleanup(): Promise<void> };

const MiB = 1024 * 1024;
// Above the S3 driver's smallest part size, so S3 runs go through multipart.
const LARGE = 12 * MiB + 123;

/** The one suite every driver must pass; each test gets a fresh, empty store. */
export const describeBlobStorageContract = (
  name: string,
  createHarness: () => Promise<BlobStorageHarness>,
): void => {
  describe(`blob storage contract: ${name}`, () => {
    let harness: BlobStorageHarness | undefined;
    const store = (): BlobStorage => {
      if (!harness) throw new Error('The harness was not created.');
      return harness.storage;
    };
    const putText = (key: string, text: string) =>
      store().put({ key, body: Readable.from([Buffer.from(text)]), contentType: 'text/plain' });
    const getText = async (key: string) =>
      (await readAll((await store().get({ key })).body)).toString();
    const expectNothingUnder = async (key: string) => {
      expect(await store().exists({ key })).toBe(false);
      expect(await collect(store().list({}))).toEqual([]);
    };

    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
    });

    it('round-trips a small blob with its size and sha256', async () => {
      const key = createBlobKey();
      expect(await putText(key, 'hello blob')).toEqual({
        size: 10,
        sha256: sha256Of('hello blob'),
      });
      const { body, size } = await store().get({ key });
      expect(size).toBe(10);
      expect((await readAll(body)).toString()).toBe('hello blob');
    });

    it('stores an empty blob', async () => {
      const key = createBlobKey();
      expect(await store().put({ key, body: Readable.from([]) })).toEqual({
        size: 0,
        sha256: sha256Of(''),
      });
      const { body, size } = await store().get({ key });
      expect(size).toBe(0);
      expect((await readAll(body)).byteLength).toBe(0);
      expect((await store().head({ key })).size).toBe(0);
    });

    it('streams a multi-MiB blob in and out', async () => {
      const key = createBlobKey();
      const expected = { size: LARGE, sha256: sha256OfPattern(LARGE) };
      expect(await store().put({ key, body: generatedStream({ size: LARGE }) })).toEqual(expected);
      const { body, size } = await store().get({ key });
      expect(size).toBe(LARGE);
      expect(await hashStream(body)).toEqual(expected);
    });

    it('reads byte ranges', async () => {
      const key = createBlobKey();
      const total = 300_000;
      await store().put({ key, body: generatedStream({ size: total }) });
      const ranges = [
        { start: 0, end: 0 },
        { start: 1_000, end: 1_999 },
        { start: 65_530, end: 131_080 },
        { start: total - 1, end: total - 1 },
        { start: total - 100, end: total - 1 },
        { start: 0, end: total - 1 },
      ];
      for (const range of ranges) {
        const { body, size } = await store().get({ key, range });
        const length = range.end - range.start + 1;
        expect(size).toBe(length);
        expect((await readAll(body)).equals(patternBytes(range.start, length))).toBe(true);
      }
    });

    it('heads a blob', async () => {
      const key = createBlobKey();
      const before = Date.now();
      await putText(key, 'twelve bytes');
      const head = await store().head({ key });
      expect(head.size).toBe(12);
      expect(head.lastModified).toBeInstanceOf(Date);
      // S3 keeps whole seconds; allow for that and for a little clock skew.
      expect(head.lastModified.getTime()).toBeGreaterThan(before - 5_000);
      expect(head.lastModified.getTime()).toBeLessThan(Date.now() + 5_000);
    });

    it('tells whether a blob exists', async () => {
      const key = createBlobKey();
      expect(await store().exists({ key })).toBe(false);
      await putText(key, 'x');
      expect(await store().exists({ key })).toBe(true);
    });

    it('replaces a blob put again under the same key', async () => {
      const key = createBlobKey();
      await putText(key, 'first version');
      await putText(key, 'second');
      expect(await getText(key)).toBe('second');
      expect((await store().head({ key })).size).toBe(6);
    });

    it('leaves one whole blob when two puts race on a key', async () => {
      const key = createBlobKey();
      const sizes = [3 * MiB, 2 * MiB + 5];
      await Promise.all(sizes.map((size) => store().put({ key, body: generatedStream({ size }) })));
      const { body, size } = await store().get({ key });
      expect(sizes).toContain(size);
      expect(await hashStream(body)).toEqual({ size, sha256: sha256OfPattern(size) });
    });

    it('copies a blob, overwriting the target', async () => {
      const [from, to] = [createBlobKey(), createBlobKey()];
      await putText(from, 'original');
      await putText(to, 'to be overwritten');
      await store().copy({ fromKey: from, toKey: to });
      expect(await getText(to)).toBe('original');
      expect(await getText(from)).toBe('original');
      await store().delete({ key: from });
      expect(await getText(to)).toBe('original');
    });

    it('copies a blob onto itself as a no-op', async () => {
      const key = createBlobKey();
      await putText(key, 'same');
      await store().copy({ fromKey: key, toKey: key });
      expect(await getText(key)).toBe('same');
    });

    it('holds no blob under a key that is only a prefix of other keys', async () => {
      await putText('dir/sub/blob', 'x');
      for (const key of ['dir', 'dir/sub']) {
        expect(await store().exists({ key })).toBe(false);
        await expect(store().get({ key })).rejects.toBeInstanceOf(BlobNotFoundError);
        await expect(store().head({ key })).rejects.toBeInstanceOf(BlobNotFoundError);
        await store().delete({ key });
      }
      expect(await getText('dir/sub/blob')).toBe('x');
    });

    it('deletes idempotently', async () => {
      const key = createBlobKey();
      await putText(key, 'bye');
      await store().delete({ key });
      expect(await store().exists({ key })).toBe(false);
      await store().delete({ key });
      await store().delete({ key: createBlobKey() });
    });

    it('lists blobs, optionally under a prefix', async () => {
      for (const key of ['list/a/1', 'list/a/2', 'list/ab/3', 'list/b/1', 'other/x']) {
        await putText(key, key);
      }
      const keysUnder = async (prefix?: string) =>
        (await collect(store().list(prefix === undefined ? {} : { prefix })))
          .map((listing) => listing.key)
          .sort();
      expect(await keysUnder()).toEqual([
        'list/a/1',
        'list/a/2',
        'list/ab/3',
        'list/b/1',
        'other/x',
      ]);
      expect(await keysUnder('list/a/')).toEqual(['list/a/1', 'list/a/2']);
      expect(await keysUnder('list/a')).toEqual(['list/a/1', 'list/a/2', 'list/ab/3']);
      expect(await keysUnder('nothing/')).toEqual([]);
      const [listing] = await collect(store().list({ prefix: 'other/' }));
      expect(listing?.size).toBe('other/x'.length);
      expect(listing?.lastModified).toBeInstanceOf(Date);
    });

    it('answers BlobNotFoundError for a missing key', async () => {
      const key = createBlobKey();
      await expect(store().get({ key })).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store().get({ key, range: { start: 0, end: 0 } })).rejects.toBeInstanceOf(
        BlobNotFoundError,
      );
      await expect(store().head({ key })).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(store().copy({ fromKey: key, toKey: createBlobKey() })).rejects.toBeInstanceOf(
        BlobNotFoundError,
      );
      await expect(store().get({ key })).rejects.toMatchObject({ code: 'blob_not_found' });
    });

    it('accepts a body of exactly maxBytes', async () => {
      const key = createBlobKey();
      const result = await store().put({
        key,
        body: generatedStream({ size: 1_000 }),
        maxBytes: 1_000,
      });
      expect(result.size).toBe(1_000);
    });

    it('refuses a small body over maxBytes and leaves nothing', async () => {
      const key = createBlobKey();
      const body = Readable.from([Buffer.from('01234'), Buffer.from('56789A'), Buffer.from('BC')]);
      const put = store().put({ key, body, maxBytes: 10 });
      await expect(put).rejects.toBeInstanceOf(BlobTooLargeError);
      await expect(put).rejects.toMatchObject({ code: 'blob_too_large', maxBytes: 10 });
      expect(body.destroyed).toBe(true);
      await expectNothingUnder(key);
    });

    it('refuses a multi-MiB body over maxBytes and leaves nothing', async () => {
      const key = createBlobKey();
      const body = generatedStream({ size: LARGE });
      await expect(store().put({ key, body, maxBytes: 10 * MiB })).rejects.toBeInstanceOf(
        BlobTooLargeError,
      );
      expect(body.destroyed).toBe(true);
      await expectNothingUnder(key);
    });

    it('stops reading as soon as maxBytes is crossed', async () => {
      const key = createBlobKey();
      const endless = generatedStream({ size: Number.POSITIVE_INFINITY });
      await expect(store().put({ key, body: endless, maxBytes: 2 * MiB })).rejects.toBeInstanceOf(
        BlobTooLargeError,
      );
      await expectNothingUnder(key);
    });

    it('rejects with the source error when the body fails early, leaving nothing', async () => {
      const key = createBlobKey();
      const failure = new Error('client went away');
      const body = generatedStream({ size: 1 * MiB, failAfterBytes: 64 * 1024, failWith: failure });
      await expect(store().put({ key, body })).rejects.toBe(failure);
      await expectNothingUnder(key);
    });

    it('rejects with the source error when the body fails after several MiB, leaving nothing', async () => {
      const key = createBlobKey();
      const failure = new Error('connection reset');
      const body = generatedStream({ size: LARGE, failAfterBytes: 11 * MiB, failWith: failure });
      await expect(store().put({ key, body })).rejects.toBe(failure);
      await expectNothingUnder(key);
    });

    it('keeps the previous blob when a replacing put fails', async () => {
      const key = createBlobKey();
      await putText(key, 'keep me');
      const body = generatedStream({ size: 1 * MiB, failAfterBytes: 64 * 1024 });
      await expect(store().put({ key, body })).rejects.toThrow('source failed');
      expect(await getText(key)).toBe('keep me');
    });

    it('refuses invalid keys everywhere', async () => {
      const invalidKeys = [
        '',
        '../escape',
        'a/../../b',
        '/abs/path',
        'a\\b',
        'a\0b',
        'a b',
        'a//b',
        '.tmp/x',
        'é',
      ];
      for (const key of invalidKeys) {
        const body = Readable.from([Buffer.from('x')]);
        await expect(store().put({ key, body })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        expect(body.destroyed).toBe(true);
        await expect(store().get({ key })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store().head({ key })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store().exists({ key })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store().delete({ key })).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store().copy({ fromKey: createBlobKey(), toKey: key })).rejects.toBeInstanceOf(
          InvalidBlobKeyError,
        );
      }
      await expect(collect(store().list({ prefix: '../' }))).rejects.toBeInstanceOf(
        InvalidBlobKeyError,
      );
      expect(await collect(store().list({}))).toEqual([]);
    });

    it('answers ping when reachable', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
};
