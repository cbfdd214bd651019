import { Readable } from 'node:stream';
import { BlobNotFoundError } from '../../blob-storage.errors.js';
import { assertValidBlobKey, assertValidBlobPrefix } from '../../blob-storage.keys.js';
import { meterBody } from '../../blob-storage.metering.js';
import type { BlobStorage } from '../../blob-storage.types.js';

type StoredBlob = { data: Buffer; lastModified: Date };

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
      assertValidBlobKey(key);
      const metered = meterBody(body, maxBytes);
      const chunks: Buffer[] = [];
      for await (const chunk of metered.stream as AsyncIterable<Buffer>) chunks.push(chunk);
      blobs.set(key, { data: Buffer.concat(chunks), lastModified: new Date() });
      return metered.result();
    },

    async get({ key, range }) {
      const { data } = getOrThrow(key);
      const slice = range ? data.subarray(range.start, range.end + 1) : data;
      return { body: Readable.from([slice]), size: slice.byteLength };
    },

    async head({ key }) {
      const { data, lastModified } = getOrThrow(key);
      return { size: data.byteLength, lastModified };
    },

    async exists({ key }) {
      assertValidBlobKey(key);
      return blobs.has(key);
    },

    async copy({ fromKey, toKey }) {
      assertValidBlobKey(toKey);
      const { data } = getOrThrow(fromKey);
      blobs.set(toKey, { data, lastModified: new Date() });
    },

    async delete({ key }) {
      assertValidBlobKey(key);
      blobs.delete(key);
    },

    async *list({ prefix = '' }) {
      assertValidBlobPrefix(prefix);
      const keys = [...blobs.keys()].filter((key) => key.startsWith(prefix)).sort();
      for (const key of keys) {
        const blob = blobs.get(key);
        if (blob) yield { key, size: blob.data.byteLength, lastModified: blob.lastModified };
      }
    },

    async ping() {},
  };
};
