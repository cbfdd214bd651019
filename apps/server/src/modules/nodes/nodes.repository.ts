import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';
import { statementTemplate } from '../../db/statement-templates.js';
import {
  insertJobWhen,
  jobValues,
  type JobValues,
  type NewJob,
} from '../../job-queue/jobs.repository.js';
import { sharesAnythingAmong } from '../sharing/watchers.repository.js';
import { fitsQuota } from '../usage/usage.repository.js';
import { FOLDER_CONTENT_TYPE, toNameKey, toSortKey } from './nodes.models.js';
import type { NodeRow, ThumbnailState } from './nodes.tables.js';

/** Every read is scoped by owner: another user's id simply does not exist. */
export const getLiveNode = (db: Db, { ownerId, id }: { ownerId: string; id: string }) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('trashed_at', 'is', null)
    .executeTakeFirst();

/** Any node, trashed or not, whoever owns it: for jobs, which act on ids they were given. */
export const getNodeById = (db: Db, { id }: { id: string }) =>
  db.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst();

export const getRootFolder = (db: Db, { ownerId }: { ownerId: string }) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('is_root', '=', true)
    .executeTakeFirst();

/** A live folder (`root` for the owner's top one) with its owner's quota and usage. */
export const getLiveFolderWithUsage = async (
  db: Db,
  { ownerId, id }: { ownerId: string; id: string },
) => {
  const query = liveFolderWithUsageStatement(db, { root: id === 'root' }, { ownerId, id });
  const { rows } = await db.executeQuery(query);
  return rows[0];
};

// Asked before every upload: its text is made once, not per request.
const liveFolderWithUsageStatement = statementTemplate(
  (db: Db, { root }: { root: boolean }, { ownerId, id }: { ownerId: string; id: string }) =>
    db
      .selectFrom('nodes')
      .innerJoin('storage_usage', 'storage_usage.user_id', 'nodes.owner_id')
      .selectAll('nodes')
      .select([
        'storage_usage.quota_bytes',
        'storage_usage.used_bytes',
        'storage_usage.reserved_bytes',
      ])
      .where('nodes.owner_id', '=', ownerId)
      .where((eb) => (root ? eb('nodes.is_root', '=', true) : eb('nodes.id', '=', id)))
      .where('nodes.is_folder', '=', true)
      .where('nodes.trashed_at', 'is', null),
);

/** Idempotent and race-safe: the partial unique index on roots keeps one per owner. */
export const insertRootFolderIfMissing = async (db: Db, { ownerId }: { ownerId: string }) => {
  const now = new Date();
  await db
    .insertInto('nodes')
    .values({
      id: uuidv7(),
      owner_id: ownerId,
      parent_id: null,
      is_root: true,
      is_folder: true,
      name: '',
      name_key: '',
      sort_key: '',
      content_type: FOLDER_CONTENT_TYPE,
      sha256: null,
      blob_key: null,
      created_at: now,
      updated_at: now,
      trashed_at: null,
      trash_batch_id: null,
      trash_path: null,
    })
    // A literal: a parameter here fails once the statement's plan is reused (see jobs.repository.ts).
    .onConflict((oc) => oc.column('owner_id').where('is_root', '=', sql.lit(true)).doNothing())
    .execute();
};

export type NewNode = {
  id?: string;
  ownerId: string;
  parentId: string;
  name: string;
  isFolder: boolean;
  size?: number;
  contentType?: string;
  sha256?: string | null;
  blobKey?: string | null;
  thumbnailState?: ThumbnailState;
  now?: Date;
};

const newNodeValues = (node: NewNode) => {
  const now = node.now ?? new Date();
  return {
    id: node.id ?? uuidv7(),
    owner_id: node.ownerId,
    parent_id: node.parentId,
    is_folder: node.isFolder,
    name: node.name,
    name_key: toNameKey(node.name),
    sort_key: toSortKey(node.name),
    size: node.size ?? 0,
    content_type: node.isFolder
      ? FOLDER_CONTENT_TYPE
      : (node.contentType ?? 'application/octet-stream'),
    sha256: node.sha256 ?? null,
    blob_key: node.blobKey ?? null,
    thumbnail_state: node.thumbnailState ?? null,
    created_at: now,
    updated_at: now,
    trashed_at: null,
    trash_batch_id: null,
    trash_path: null,
  };
};

/**
 * Inserts unless a live sibling already has the name; returns undefined then. ON CONFLICT
 * rather than catching the violation, so the caller's transaction stays usable for a retry.
 */
export const insertNodeUnlessNameTaken = async (db: Db, node: NewNode) =>
  db
    .insertInto('nodes')
    .values(newNodeValues(node))
    .onConflict((oc) =>
      oc.columns(['parent_id', 'name_key']).where('trashed_at', 'is', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();

/**
 * A new file into a folder that is still live and hot, added to the owner's usage within the
 * quota, in one statement that is atomic by itself: the common upload or copy costs a single
 * round trip and needs no transaction. Undefined when nothing was inserted (the folder is gone
 * or archived, or a live sibling has the name). When the quota would be crossed the statement
 * fails (see `isQuotaViolation`) and leaves nothing behind. As in `addUsageWithinQuota`,
 * the usage row's lock serialises concurrent charges, so together they never overshoot.
 */
export const insertFileChargingUsage = async (
  db: Db,
  file: Omit<NewNode, 'isFolder'> & { size: number },
  /** Jobs for the new file (its id in `file`), written with it and only if it is. */
  jobs: readonly NewJob[] = [],
): Promise<{ row: NodeRow; ownerSharesAnything: boolean } | undefined> => {
  const values: InsertFileValues = newNodeValues({ ...file, isFolder: false });
  jobs.forEach((job, index) => {
    for (const [key, value] of Object.entries(jobValues(job))) values[`job${index}.${key}`] = value;
  });
  const { rows } = await db.executeQuery(insertFileStatement(db, { jobs: jobs.length }, values));
  const [first] = rows;
  if (!first) return undefined;
  const { owner_shares_anything: ownerSharesAnything, ...row } = first;
  return { row, ownerSharesAnything };
};

/** The new row's columns by name, then each job's values as `job<n>.<name>`. */
type InsertFileValues = Record<string, unknown>;

// The commonest write there is: its text is made once per number of jobs, not per upload.
const insertFileStatement = statementTemplate(
  (_db: Db, { jobs }: { jobs: number }, values: InsertFileValues) => {
    const columns = Object.keys(values).filter((key) => !key.includes('.'));
    const { owner_id: ownerId, parent_id: parentId, size } = values;
    const queued = Array.from({ length: jobs }, (_, index) => {
      const prefix = `job${index}.`;
      const job = Object.fromEntries(
        Object.entries(values)
          .filter(([key]) => key.startsWith(prefix))
          .map(([key, value]) => [key.slice(prefix.length), value]),
      ) as JobValues;
      return sql`, ${sql.id(`job_${index}`)} as (
        ${insertJobWhen(job, sql`exists (select 1 from charged)`)}
      )`;
    });
    return sql<NodeRow & { owner_shares_anything: boolean }>`
      with inserted as (
        insert into nodes (${sql.join(columns.map((column) => sql.ref(column)))})
        select ${sql.join(columns.map((column) => values[column]))}
        where exists (
          select 1 from nodes
          where id = ${parentId} and owner_id = ${ownerId} and is_folder
            and trashed_at is null and storage_state = 'hot'
        )
        on conflict (parent_id, name_key) where trashed_at is null do nothing
        returning *
      ), charged as (
        update storage_usage
        set used_bytes = used_bytes + ${size}::bigint, file_count = file_count + 1
        where user_id = ${ownerId} and exists (select 1 from inserted)
          and ${fitsQuota(sql`${size}`)}
        returning user_id
      )${sql.join(queued, sql``)}
      select inserted.*,
        -- Who may hear of the new file, asked here rather than in a statement of its own.
        ${sharesAnythingAmong(sql`${ownerId}::uuid`)} as owner_shares_anything
      from inserted
      where case when exists (select 1 from charged) then true else myfile_quota_exceeded() end
    `;
  },
);

export const findLiveChildByName = (
  db: Db,
  { ownerId, parentId, name }: { ownerId: string; parentId: string; name: string },
) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('parent_id', '=', parentId)
    .where('name_key', '=', toNameKey(name))
    .where('trashed_at', 'is', null)
    .executeTakeFirst();

/** Name keys of live siblings starting with `prefixKey`, to pick a free "name (n)". */
export const listLiveSiblingNameKeysWithPrefix = async (
  db: Db,
  { parentId, prefixKey }: { parentId: string; prefixKey: string },
): Promise<Set<string>> => {
  const escaped = prefixKey.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('nodes')
    .select('name_key')
    .where('parent_id', '=', parentId)
    .where('trashed_at', 'is', null)
    .where('name_key', 'like', `${escaped}%`)
    .execute();
  return new Set(rows.map((row) => row.name_key));
};

export const renameNode = (
  db: Db,
  {
    ownerId,
    id,
    name,
    now = new Date(),
  }: { ownerId: string; id: string; name: string; now?: Date },
) =>
  db
    .updateTable('nodes')
    .set({ name, name_key: toNameKey(name), sort_key: toSortKey(name), updated_at: now })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .returningAll()
    .executeTakeFirstOrThrow();

export const moveNode = (
  db: Db,
  {
    ownerId,
    id,
    parentId,
    name,
    now = new Date(),
  }: { ownerId: string; id: string; parentId: string; name: string; now?: Date },
) =>
  db
    .updateTable('nodes')
    .set({
      parent_id: parentId,
      name,
      name_key: toNameKey(name),
      sort_key: toSortKey(name),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .returningAll()
    .executeTakeFirstOrThrow();

/** Ancestors from the root down to the node's parent (the root itself excluded). */
export const getAncestors = async (db: Db, { id }: { id: string }) => {
  const result = await sql<
    Pick<NodeRow, 'id' | 'name' | 'parent_id' | 'is_root'> & { depth: number }
  >`
    with recursive up as (
      select n.id, n.name, n.parent_id, n.is_root, 0 as depth
      from nodes n where n.id = (select parent_id from nodes where id = ${id})
      union all
      select p.id, p.name, p.parent_id, p.is_root, up.depth + 1
      from nodes p join up on p.id = up.parent_id
      where up.depth < 10000
    )
    select id, name, parent_id, is_root, depth from up order by depth desc
  `.execute(db);
  return result.rows.filter((row) => !row.is_root);
};

/** True when `candidateId` is `folderId` itself or lies below it (a move would make a cycle). */
export const isSameOrDescendant = async (
  db: Db,
  { folderId, candidateId }: { folderId: string; candidateId: string },
) => {
  if (folderId === candidateId) return true;
  const ancestors = await getAncestors(db, { id: candidateId });
  return ancestors.some((ancestor) => ancestor.id === folderId);
};

export const hasLiveChildren = async (db: Db, { folderId }: { folderId: string }) =>
  (await db
    .selectFrom('nodes')
    .select('id')
    .where('parent_id', '=', folderId)
    .where('trashed_at', 'is', null)
    .limit(1)
    .executeTakeFirst()) !== undefined;

/** True when some live node under (and including) `id` is archived or on its way in or out. */
export const hasNonHotNodeInSubtree = async (db: Db, { id }: { id: string }) => {
  const result = await sql<{ found: boolean }>`
    with recursive tree as (
      select id, storage_state from nodes where id = ${id} and trashed_at is null
      union all
      select c.id, c.storage_state from nodes c join tree t on c.parent_id = t.id
      where c.trashed_at is null
    )
    select exists (select 1 from tree where storage_state <> 'hot') as found
  `.execute(db);
  return result.rows[0]?.found === true;
};

/**
 * Which of `blobKeys` a node (live or in the trash), a file's version or an unfinished folder
 * copy still points to.
 */
export const findReferencedBlobKeys = async (db: Db, { blobKeys }: { blobKeys: string[] }) => {
  const rows = await db
    .selectFrom('nodes')
    .select('blob_key')
    .where('blob_key', 'in', blobKeys)
    .unionAll(db.selectFrom('file_versions').select('blob_key').where('blob_key', 'in', blobKeys))
    .unionAll(
      db
        .selectFrom('folder_copy_items')
        .select('new_blob_key as blob_key')
        .where('new_blob_key', 'in', blobKeys),
    )
    .execute();
  return new Set(rows.map((row) => row.blob_key));
};

/** The children of a folder that are not in the trash. */
export const listLiveChildren = (db: Db, { parentId }: { parentId: string }) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('trashed_at', 'is', null)
    .execute();

/** New bytes for an existing file: same id, same name, same place. */
export const replaceFileContent = (
  db: Db,
  {
    id,
    blob,
    thumbnailState,
  }: {
    id: string;
    blob: { key: string; size: number; sha256: string; contentType: string };
    thumbnailState: ThumbnailState;
  },
) =>
  db
    .updateTable('nodes')
    .set({
      blob_key: blob.key,
      size: blob.size,
      sha256: blob.sha256,
      content_type: blob.contentType,
      thumbnail_state: thumbnailState,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/**
 * Walks a path of names down from the owner's root in one statement: each step is one lookup
 * on the sibling-name index, so the cost grows with the depth, never with the tree. Returns the
 * root and each node found, in order; fewer rows than `names.length + 1` means the path stops
 * existing after the last row.
 */
export const resolveLivePath = async (
  db: Db,
  { ownerId, names }: { ownerId: string; names: readonly string[] },
): Promise<NodeRow[]> => {
  const keys = names.map(toNameKey);
  const { rows } = await sql<NodeRow & { depth: number }>`
    with recursive walk as (
      select n.*, 0 as depth from nodes n where n.owner_id = ${ownerId} and n.is_root
      union all
      select c.*, w.depth + 1 from walk w
      join nodes c on c.parent_id = w.id
        and c.name_key = (${keys}::text[])[w.depth + 1]
        and c.trashed_at is null
      where w.depth < ${keys.length}
    )
    select * from walk order by depth
  `.execute(db);
  return rows.map(({ depth: _depth, ...row }) => row);
};

/** One page of a folder's live children in name-key order (the sibling-name index's order). */
export const listLiveChildrenAfter = (
  db: Db,
  { parentId, afterKey, limit }: { parentId: string; afterKey: string | null; limit: number },
) => {
  let query = db
    .selectFrom('nodes')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('trashed_at', 'is', null);
  if (afterKey !== null) query = query.where('name_key', '>', afterKey);
  return query.orderBy('name_key').limit(limit).execute();
};

/** Holds the row until the transaction ends, so a version check and the update are one step. */
export const lockNodeRow = (db: Db, { id }: { id: string }) =>
  db.selectFrom('nodes').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
