import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { TimeCursor } from '../nodes/time-cursor.js';

/** Marks the live subtree under `id` as one trash batch; returns how many rows it marked. */
export const markSubtreeTrashed = async (
  db: Db,
  { id, batchId, now, path }: { id: string; batchId: string; now: Date; path: string[] },
) => {
  const result = await sql<{ id: string }>`
    with recursive tree as (
      select id from nodes where id = ${id} and trashed_at is null
      union all
      select c.id from nodes c join tree t on c.parent_id = t.id where c.trashed_at is null
    )
    update nodes set trashed_at = ${now}, trash_batch_id = ${batchId}
    where id in (select id from tree)
    returning id
  `.execute(db);
  await db
    .updateTable('nodes')
    .set({ is_trash_root: true, trash_path: JSON.stringify(path) })
    .where('id', '=', id)
    .execute();
  return result.rows.length;
};

export const getTrashRoot = (db: Db, { ownerId, id }: { ownerId: string; id: string }) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('is_trash_root', '=', true)
    .executeTakeFirst();

export const untrashBatch = async (
  db: Db,
  {
    batchId,
    rootId,
    parentId,
    name,
    nameKey,
    sortKey,
  }: {
    batchId: string;
    rootId: string;
    parentId: string;
    name: string;
    nameKey: string;
    sortKey: string;
  },
) => {
  await db
    .updateTable('nodes')
    .set({
      parent_id: parentId,
      name,
      name_key: nameKey,
      sort_key: sortKey,
      is_trash_root: false,
      trash_path: null,
    })
    .where('id', '=', rootId)
    .execute();
  await db
    .updateTable('nodes')
    .set({ trashed_at: null, trash_batch_id: null })
    .where('trash_batch_id', '=', batchId)
    .execute();
};

/** Deletes the rows of the given batches; returns the deleted files' keys and sizes. */
export const deleteTrashBatches = async (
  db: Db,
  { ownerId, batchIds }: { ownerId: string; batchIds: string[] },
) => {
  if (batchIds.length === 0) return { files: [], roots: [] };
  const rows = await db
    .deleteFrom('nodes')
    .where('owner_id', '=', ownerId)
    .where('trash_batch_id', 'in', batchIds)
    .returningAll()
    .execute();
  return {
    files: rows.filter((row): row is NodeRow & { blob_key: string } => row.blob_key !== null),
    /** The items as the trash listed them: what a client is told was deleted for good. */
    roots: rows.filter((row) => row.is_trash_root),
  };
};

export const listTrashRoots = (
  db: Db,
  { ownerId, after, limit }: { ownerId: string; after: TimeCursor | undefined; limit: number },
): Promise<NodeRow[]> => {
  let query = db
    .selectFrom('nodes')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('is_trash_root', '=', true);
  if (after) {
    query = query.where(
      sql<boolean>`(trashed_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`,
    );
  }
  return query.orderBy('trashed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
};

export const listTrashBatchIds = async (
  db: Db,
  { ownerId, trashedBefore }: { ownerId?: string; trashedBefore?: Date },
) => {
  let query = db
    .selectFrom('nodes')
    .select(['owner_id', 'trash_batch_id'])
    .where('is_trash_root', '=', true);
  if (ownerId) query = query.where('owner_id', '=', ownerId);
  if (trashedBefore) query = query.where('trashed_at', '<', trashedBefore);
  const rows = await query.limit(1000).execute();
  return rows.flatMap((row) =>
    row.trash_batch_id ? [{ ownerId: row.owner_id, batchId: row.trash_batch_id }] : [],
  );
};
