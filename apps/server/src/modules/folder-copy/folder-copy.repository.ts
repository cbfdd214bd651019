import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow, StorageState } from '../nodes/nodes.tables.js';
import { fitsQuota } from '../usage/usage.repository.js';
import type { FolderCopiesTable, FolderCopyItemsTable } from './folder-copy.tables.js';
import type { Insertable } from 'kysely';

export type SubtreeNode = Pick<
  NodeRow,
  | 'id'
  | 'parent_id'
  | 'is_folder'
  | 'name'
  | 'name_key'
  | 'sort_key'
  | 'size'
  | 'content_type'
  | 'sha256'
  | 'blob_key'
> & { depth: number; storage_state: StorageState };

/** The live folder `id` and everything live below it, parents before their children. */
export const listSubtreeForCopy = async (db: Db, { id }: { id: string }) => {
  const result = await sql<SubtreeNode>`
    with recursive tree as (
      select n.*, 0 as depth from nodes n where n.id = ${id} and n.trashed_at is null
      union all
      select c.*, t.depth + 1 from nodes c join tree t on c.parent_id = t.id
      where c.trashed_at is null
    )
    select id, parent_id, is_folder, name, name_key, sort_key, size, content_type, sha256,
      blob_key, storage_state, depth
    from tree order by depth, id
  `.execute(db);
  return result.rows;
};

/** Holds `bytes` of the quota for the whole copy, in one statement like an upload's. */
export const reserveCopyWithinQuota = async (
  db: Db,
  { userId, bytes }: { userId: string; bytes: number },
) =>
  (await db
    .updateTable('storage_usage')
    .set({ reserved_bytes: sql<number>`reserved_bytes + ${bytes}::bigint` })
    .where('user_id', '=', userId)
    .where(fitsQuota(bytes))
    .returning('user_id')
    .executeTakeFirst()) !== undefined;

const releaseReservation = (db: Db, { userId, bytes }: { userId: string; bytes: number }) =>
  db
    .updateTable('storage_usage')
    .set({ reserved_bytes: sql<number>`greatest(reserved_bytes - ${bytes}::bigint, 0)` })
    .where('user_id', '=', userId)
    .execute();

/** The reservation becomes usage, in the transaction that makes the nodes visible. */
export const chargeReservedCopy = (
  db: Db,
  { userId, bytes, files }: { userId: string; bytes: number; files: number },
) =>
  db
    .updateTable('storage_usage')
    .set({
      reserved_bytes: sql<number>`greatest(reserved_bytes - ${bytes}::bigint, 0)`,
      used_bytes: sql<number>`used_bytes + ${bytes}::bigint`,
      file_count: sql<number>`file_count + ${files}::int`,
    })
    .where('user_id', '=', userId)
    .execute();

export const insertFolderCopy = async (
  db: Db,
  {
    copy,
    items,
  }: { copy: Insertable<FolderCopiesTable>; items: Insertable<FolderCopyItemsTable>[] },
) => {
  await db.insertInto('folder_copies').values(copy).execute();
  for (let start = 0; start < items.length; start += 500) {
    await db
      .insertInto('folder_copy_items')
      .values(items.slice(start, start + 500))
      .execute();
  }
};

export const getFolderCopy = (db: Db, { jobId }: { jobId: string }) =>
  db.selectFrom('folder_copies').selectAll().where('job_id', '=', jobId).executeTakeFirst();

export const listUncopiedFiles = (db: Db, { jobId }: { jobId: string }) =>
  db
    .selectFrom('folder_copy_items')
    .select(['source_id', 'source_blob_key', 'new_blob_key', 'size'])
    .where('job_id', '=', jobId)
    .where('is_folder', '=', false)
    .where('copied', '=', false)
    .orderBy('source_id')
    .execute();

export const markItemsCopied = async (
  db: Db,
  { jobId, sourceIds }: { jobId: string; sourceIds: readonly string[] },
) => {
  if (sourceIds.length === 0) return;
  await db
    .updateTable('folder_copy_items')
    .set({ copied: true })
    .where('job_id', '=', jobId)
    .where('source_id', 'in', sourceIds)
    .execute();
};

/**
 * Every staged item as a node in one statement: the copied folder into the target under
 * `topName`, the rest under the copies of their parents. Foreign keys are checked at the end
 * of the statement, so the order of rows does not matter.
 */
export const insertNodesFromItems = async (
  db: Db,
  {
    jobId,
    ownerId,
    targetFolderId,
    top,
    now,
  }: {
    jobId: string;
    ownerId: string;
    targetFolderId: string;
    top: { name: string; nameKey: string; sortKey: string };
    now: Date;
  },
) => {
  const result = await sql<NodeRow>`
    insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key, size,
      content_type, sha256, blob_key, thumbnail_state, created_at, updated_at)
    select i.new_id, ${ownerId}, coalesce(p.new_id, ${targetFolderId}), i.is_folder,
      case when i.source_parent_id is null then ${top.name} else i.name end,
      case when i.source_parent_id is null then ${top.nameKey} else i.name_key end,
      case when i.source_parent_id is null then ${top.sortKey} else i.sort_key end,
      i.size, i.content_type, i.sha256, i.new_blob_key, i.thumbnail_state, ${now}, ${now}
    from folder_copy_items i
    left join folder_copy_items p on p.job_id = i.job_id and p.source_id = i.source_parent_id
    where i.job_id = ${jobId}
    order by i.depth
    returning *
  `.execute(db);
  return result.rows;
};

export const listStagedBlobKeys = async (db: Db, { jobId }: { jobId: string }) =>
  (
    await db
      .selectFrom('folder_copy_items')
      .select('new_blob_key')
      .where('job_id', '=', jobId)
      .where('new_blob_key', 'is not', null)
      .execute()
  ).flatMap((row) => (row.new_blob_key ? [row.new_blob_key] : []));

/** Forgets the copy (its items go with it) and gives its reservation back, unless done already. */
export const dropFolderCopy = (db: Db, { jobId }: { jobId: string }) =>
  db.transaction().execute(async (trx) => {
    const copy = await trx
      .deleteFrom('folder_copies')
      .where('job_id', '=', jobId)
      .returningAll()
      .executeTakeFirst();
    if (copy) await releaseReservation(trx, { userId: copy.quota_user_id, bytes: copy.bytes });
  });

export const deleteFolderCopyRow = (db: Db, { jobId }: { jobId: string }) =>
  db.deleteFrom('folder_copies').where('job_id', '=', jobId).execute();

/**
 * Copies whose job will not run again: it failed (its worker died on the last attempt, so its
 * own failure path never ran) or was pruned.
 */
export const findAbandonedFolderCopies = async (db: Db) =>
  (
    await db
      .selectFrom('folder_copies as c')
      .leftJoin('jobs as j', 'j.id', 'c.job_id')
      .select('c.job_id')
      .where((eb) => eb.or([eb('j.id', 'is', null), eb('j.status', 'in', ['failed', 'done'])]))
      .execute()
  ).map((row) => row.job_id);
