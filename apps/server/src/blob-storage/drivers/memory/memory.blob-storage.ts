import { Readable } from 'node:stream';
import { BlobNotFoundError } from '../../blob-storage.errors.js';
import { assertValidBlobKey, assertValidBlobPrefix } from '../../blob-storage.keys.js';
import { meterBody } from '../../blob-storage.metering.js';
import type { BlobStorage } from '../../blob-storage.types.js';

type StoredBlob = { data: Buffer; lastModified: Date };

// Runs at once but answers like the real drivers: a refusal is a rejection, never a throw.
const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

/** For unit tests: the whole blob lives in memory, which no other driver ever does. */
export const createMemoryBlobStorage = (): BlobStorage => {
  const blobs = new Map<string, StoredBlob>();

  const getOrThrow = (key: string): StoredBlob => {
    assertValidBlobKey(key);
    const blob = blobs.get(key);
    if (!blob) throw new BlobNotFoundError(key);
    return blob;
  };

  return {
    driverName: 'memory',

    async put({ key, body, maxBytes }) {
      const metered = meterBody(body, maxBytes);
      try {
        assertValidBlobKey(key);
        const chunks: Buffer[] = [];
        for await (const chunk of metered.stream as AsyncIterable<Buffer>) chunks.push(chunk);
        blobs.set(key, { data: Buffer.concat(chunks), lastModified: new Date() });
        return metered.result();
      } catch (error) {
        body.destroy();
        throw error;
      }
    },

    get: ({ key, range }) =>
      settle(() => {
        const { data } = getOrThrow(key);
        const slice = range ? data.subarray(range.start, range.end + 1) : data;
        return { body: Readable.from([slice]), size: slice.byteLength };
      }),

    head: ({ key }) =>
      settle(() => {
        const { data, lastModified } = getOrThrow(key);
        return { size: data.byteLength, lastModified };
      }),

    exists: ({ key }) =>
      settle(() => {
        assertValidBlobKey(key);
        return blobs.has(key);
      }),

    copy: ({ fromKey, toKey }) =>
      settle(() => {
        assertValidBlobKey(toKey);
        const { data } = getOrThrow(fromKey);
        blobs.set(toKey, { data, lastModified: new Date() });
      }),

    delete: ({ key }) =>
      settle(() => {
        assertValidBlobKey(key);
        blobs.delete(key);
      }),

    async *list({ prefix = '' }) {
      const listings = await settle(() => {
        assertValidBlobPrefix(prefix);
        return [...blobs.entries()]
          .filter(([key]) => key.startsWith(prefix))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, blob]) => ({
            key,
            size: blob.data.byteLength,
            lastModified: blob.lastModified,
          }));
      });
      yield* listings;
    },

    ping: () => Promise.resolve(),
    // A put either stores the whole blob or nothing: there is no staging to leave behind.
    sweepStaging: () => Promise.resolve({ removed: 0 }),
  };
};
