import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';

/** File blobs in the store (thumbnails and staging left out): what a purge must bring down. */
export const countBlobs = async (store: BlobStorage) => {
  let count = 0;
  for await (const blob of store.list({}))
    if (/^[0-9a-f]{2}\/[0-9a-f]{2}\//.test(blob.key)) count += 1;
  return count;
};

export const sumOfContents = (contents: readonly string[]) =>
  contents.reduce((sum, content) => sum + Buffer.byteLength(content), 0);

/** Every blob key a row holds: files (live or trashed) and their versions. */
export const referencedBlobKeys = async (db: Db) => {
  const rows = await db
    .selectFrom('nodes')
    .select('blob_key')
    .where('blob_key', 'is not', null)
    .unionAll(db.selectFrom('file_versions').select('blob_key'))
    .execute();
  return new Set(rows.map((row) => row.blob_key));
};
