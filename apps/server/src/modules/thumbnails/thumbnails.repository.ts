import { sql, type RawBuilder } from 'kysely';
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

/**
 * `thumbnailUrlOf` written in SQL, for answers the database renders itself (a folder page):
 * `row` names a relation with the nodes columns it reads.
 */
export const thumbnailUrlSql = (row: string): RawBuilder<string | null> => {
  const column = (name: string) => sql.ref(`${row}.${name}`);
  return sql<string | null>`case when ${column('thumbnail_state')} = 'ready'
    and ${column('blob_key')} <> '' and ${column('trashed_at')} is null
    then '/api/files/' || ${column('id')} || '/thumbnail?v='
      || reverse(split_part(reverse(${column('blob_key')}), '/', 1)) end`;
};
