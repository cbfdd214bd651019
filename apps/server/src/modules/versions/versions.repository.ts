import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';

/** The file's current content becomes a version; the file row is then given new bytes. */
export const insertVersionOf = (
  db: Db,
  {
    file,
    createdBy,
    now,
  }: {
    file: Pick<NodeRow, 'id' | 'owner_id' | 'size' | 'sha256' | 'content_type' | 'updated_at'> & {
      blob_key: string;
    };
    createdBy: string | null;
    now: Date;
  },
) =>
  db
    .insertInto('file_versions')
    .values({
      id: uuidv7(),
      node_id: file.id,
      owner_id: file.owner_id,
      blob_key: file.blob_key,
      size: file.size,
      // Every stored blob has its SHA-256; the empty string never matches one.
      sha256: file.sha256 ?? '',
      content_type: file.content_type,
      modified_at: file.updated_at,
      created_at: now,
      created_by: createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

/** One file's versions, newest first, with who replaced each. */
export const listVersions = (db: Db, { nodeId }: { nodeId: string }) =>
  db
    .selectFrom('file_versions')
    .leftJoin('users', 'users.id', 'file_versions.created_by')
    .selectAll('file_versions')
    .select('users.email as created_by_email')
    .where('node_id', '=', nodeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export const getVersion = (db: Db, { nodeId, id }: { nodeId: string; id: string }) =>
  db
    .selectFrom('file_versions')
    .selectAll()
    .where('node_id', '=', nodeId)
    .where('id', '=', id)
    .executeTakeFirst();

export const deleteVersions = (db: Db, { nodeId, ids }: { nodeId: string; ids: string[] }) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .deleteFrom('file_versions')
        .where('node_id', '=', nodeId)
        .where('id', 'in', ids)
        .returningAll()
        .execute();

/** The versions of every file in these trash batches, deleted ahead of the files' rows. */
export const deleteVersionsInTrashBatches = (
  db: Db,
  { ownerId, batchIds }: { ownerId: string; batchIds: string[] },
) =>
  batchIds.length === 0
    ? Promise.resolve([])
    : db
        .deleteFrom('file_versions')
        .where('owner_id', '=', ownerId)
        .where(
          'node_id',
          'in',
          db
            .selectFrom('nodes')
            .select('id')
            .where('owner_id', '=', ownerId)
            .where('trash_batch_id', 'in', batchIds),
        )
        .returning(['blob_key', 'size'])
        .execute();

/** Bytes held by an owner's versions (they count in `used_bytes` too). */
export const sumVersionBytes = async (db: Db, { ownerId }: { ownerId: string }) => {
  const row = await db
    .selectFrom('file_versions')
    .select(sql<number>`coalesce(sum(size), 0)::bigint`.as('bytes'))
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow();
  return row.bytes;
};

/**
 * Files with versions, by id after `afterId`, with their state: what the retention job walks,
 * on the versions' own index rather than the whole tree.
 */
export const listFilesWithVersions = async (
  db: Db,
  { afterId, limit }: { afterId: string | null; limit: number },
) => {
  const rows = await sql<{ id: string; owner_id: string; storage_state: string }>`
    select n.id, n.owner_id, n.storage_state
    from (
      select distinct node_id from file_versions
      where ${afterId === null ? sql`true` : sql`node_id > ${afterId}`}
      order by node_id limit ${limit}
    ) as v
    join nodes n on n.id = v.node_id
    order by n.id
  `.execute(db);
  return rows.rows;
};
