import type { Db } from '../../db/database.js';
import type { ThumbnailState } from '../nodes/nodes.tables.js';

/**
 * Only while the file still holds `blobKey`: a render of replaced content must never mark the
 * new content ready (or failed). Undefined when the content changed or the row is gone.
 */
export const setThumbnailStateForBlob = (
  db: Db,
  { id, blobKey, state }: { id: string; blobKey: string; state: ThumbnailState },
) =>
  db
    .updateTable('nodes')
    .set({ thumbnail_state: state })
    .where('id', '=', id)
    .where('blob_key', '=', blobKey)
    .returningAll()
    .executeTakeFirst();
