import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { encodeChildrenCursor } from '../modules/folders/folders.models.js';

/** Fills one folder with `total` entries in one statement, the first `folders` of them folders. */
export const fillLargeFolder = async (
  db: Db,
  {
    ownerId,
    folderId,
    total,
    folders,
  }: { ownerId: string; folderId: string; total: number; folders: number },
) => {
  await sql`
    insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key, size,
                       content_type, blob_key, created_at, updated_at)
    select gen_random_uuid(), ${ownerId}, ${folderId}, i <= ${folders},
           'file ' || i || '.bin', 'file ' || i || '.bin',
           'file ' || lpad(length(i::text)::text, 3, '0') || i || '.bin', i,
           case when i <= ${folders} then 'inode/directory' else 'application/octet-stream' end,
           case when i <= ${folders} then null else 'bench/' || i end,
           now(), now()
    from generate_series(1, ${total}) as i
  `.execute(db);
  await sql`analyze nodes`.execute(db);
};

/** A cursor `fromEnd` files before the end of the folder's name-sorted files. */
export const cursorNearTheEnd = async (
  db: Db,
  { folderId, fromEnd }: { folderId: string; fromEnd: number },
) => {
  const { count } = await db
    .selectFrom('nodes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('parent_id', '=', folderId)
    .where('is_folder', '=', false)
    .where('trashed_at', 'is', null)
    .executeTakeFirstOrThrow();
  const row = await db
    .selectFrom('nodes')
    .select(['sort_key', 'id'])
    .where('parent_id', '=', folderId)
    .where('is_folder', '=', false)
    .where('trashed_at', 'is', null)
    .orderBy('sort_key')
    .orderBy('id')
    .offset(Math.max(0, count - fromEnd))
    .limit(1)
    .executeTakeFirstOrThrow();
  return {
    cursor: encodeChildrenCursor({
      sort: 'name',
      order: 'asc',
      folders: false,
      after: { values: [row.sort_key], id: row.id },
    }),
    after: row,
  };
};

/** The plan PostgreSQL picks for a deep page of the name-sorted listing. */
export const explainDeepPage = async (
  db: Db,
  { folderId, after }: { folderId: string; after: { sort_key: string; id: string } },
) => {
  const plan = await sql<{ 'QUERY PLAN': string }>`
    explain analyze select * from nodes
    where parent_id = ${folderId} and is_folder = false and trashed_at is null
      and (sort_key, id) > (${after.sort_key}, ${after.id})
    order by sort_key, id limit 101
  `.execute(db);
  return plan.rows.map((row) => row['QUERY PLAN'].trim());
};
