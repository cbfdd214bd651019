import type { Readable } from 'node:stream';
import { isBlobNotFoundError } from '../../blob-storage/blob-storage.errors.js';
import { etagMatches } from '../files/files.models.js';
import { getFileOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';
import type { Actor } from '../access/access.models.js';
import { thumbnailNotReady } from './thumbnails.errors.js';
import { thumbnailEtagOf, thumbnailKeyOf } from './thumbnails.models.js';

export type ThumbnailContent =
  { status: 304; etag: string } | { status: 200; etag: string; body: Readable; length: number };

/**
 * The owner's live file only (another user's id is the same 404 as a missing one). An archived
 * file still has its thumbnail: it stays in the hot store, so a cold folder keeps its pictures.
 */
export const openThumbnail = async ({
  db,
  blobStorage,
  actor,
  id,
  ifNoneMatch,
}: Pick<FilesDeps, 'db' | 'blobStorage'> & {
  actor: Actor;
  id: string;
  ifNoneMatch?: string | undefined;
}): Promise<ThumbnailContent> => {
  const file = await getFileOrThrow({ db, actor, id, action: 'read' });
  if (file.thumbnail_state !== 'ready' || !file.blob_key) throw thumbnailNotReady();
  const etag = thumbnailEtagOf(file.blob_key);
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, etag };
  try {
    const { body, size } = await blobStorage.get({ key: thumbnailKeyOf(file.blob_key) });
    return { status: 200, etag, body, length: size };
  } catch (error) {
    // Deleted with its content a moment ago: the row tells so on the next read.
    if (isBlobNotFoundError(error)) throw thumbnailNotReady();
    throw error;
  }
};
