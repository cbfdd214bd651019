import { sql, type Expression } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../access/access.models.js';
import { roleQuery } from '../access/access.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { isSharedByOwner } from '../sharing/shared-flags.repository.js';
import { sortColumns, type ChildSort, type KeyValue, type SortOrder } from './folders.models.js';

/**
 * One keyset range of a folder: its folders or its files, in one sort. The equality on
 * (parent_id, is_folder) plus the row comparison lets PostgreSQL walk the matching index from
 * the cursor, so page 1,000 costs what page 1 does.
 */
const childrenRangeQuery = (
  db: Db,
  {
    parentId,
    folders,
    sort,
    order,
    after,
  }: {
    parentId: string | Expression<string | null>;
    folders: boolean;
    sort: ChildSort;
    order: SortOrder;
    after: { values: KeyValue[]; id: string } | null;
  },
) => {
  const columns = [...sortColumns[sort], 'id' as const];
  let query = db
    .selectFrom('nodes')
    .where('parent_id', '=', parentId)
    .where('is_folder', '=', folders)
    .where('trashed_at', 'is', null);
  if (after) {
    const left = sql.join(columns.map((column) => sql.ref(column)));
    const right = sql.join([...after.values, after.id]);
    query = query.where(
      order === 'asc' ? sql<boolean>`(${left}) > (${right})` : sql<boolean>`(${left}) < (${right})`,
    );
  }
  for (const column of columns) query = query.orderBy(column, order);
  return query;
};

export const listChildrenRange = (
  db: Db,
  {
    limit,
    ...range
  }: {
    parentId: string;
    folders: boolean;
    sort: ChildSort;
    order: SortOrder;
    after: { values: KeyValue[]; id: string } | null;
    limit: number;
  },
): Promise<NodeRow[]> => childrenRangeQuery(db, range).selectAll().limit(limit).execute();

const listedColumns = [
  'id',
  'is_folder',
  'parent_id',
  'name',
  'sort_key',
  'size',
  'content_type',
  'sha256',
  'blob_key',
  'storage_state',
  'archive_error',
  'thumbnail_state',
  'trashed_at',
  'created_at',
  'updated_at',
] as const;

/** A row of a folder page: its timestamps as the ISO strings its answer carries. */
export type ListedChild = Omit<
  Pick<NodeRow, (typeof listedColumns)[number]>,
  'created_at' | 'updated_at'
> & { created_at: string; updated_at: string; shared: boolean };

// Written by PostgreSQL as Date.prototype.toISOString writes it: no Date made per value.
const isoTimestamp = (column: 'created_at' | 'updated_at') =>
  sql<string>`to_char(${sql.ref(`page.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The rows of one folder page in one statement, folders first: the range the cursor is in
 * (from `after`) and, when that is the folders, the files from their start, each at most
 * `limit` rows. `sharedBy`: the owner whose shares and links set `shared` (false without).
 */
export const listChildrenPage = (...args: Parameters<typeof childrenPageQuery>) =>
  childrenPageQuery(...args).execute();

/** The statement `listChildrenPage` runs (its plan is tested). */
export const childrenPageQuery = (
  db: Db,
  {
    parentId,
    inFolders,
    sort,
    order,
    after,
    limit,
    sharedBy,
    sharedIf,
  }: {
    parentId: string | Expression<string | null>;
    inFolders: boolean;
    sort: ChildSort;
    order: SortOrder;
    after: { values: KeyValue[]; id: string } | null;
    limit: number;
    sharedBy: string | undefined;
    /** Asked only when this holds too (once per statement, before the rows). */
    sharedIf?: Expression<boolean>;
  },
) => {
  const shared =
    sharedBy === undefined
      ? sql<boolean>`false`
      : sharedIf
        ? sql<boolean>`(${sharedIf} and ${isSharedByOwner(sql.ref('page.id'), sharedBy)})`
        : isSharedByOwner(sql.ref('page.id'), sharedBy);
  const range = (folders: boolean, from: typeof after) =>
    db
      .selectFrom(
        childrenRangeQuery(db, { parentId, folders, sort, order, after: from })
          .select(listedColumns)
          .limit(limit)
          .as('range'),
      )
      .selectAll();
  const ranges = inFolders ? range(true, after).unionAll(range(false, null)) : range(false, after);
  let query = db
    .selectFrom(ranges.as('page'))
    .select(listedColumns.filter((column) => column !== 'created_at' && column !== 'updated_at'))
    // Asked of the page's rows only: inside the ranges PostgreSQL costs it for the whole folder
    // and, for an owner with many shares, hashes all of them first (35 ms at 99,000 shares).
    .select(shared.as('shared'))
    .select(isoTimestamp('created_at').as('created_at'))
    .select(isoTimestamp('updated_at').as('updated_at'))
    .orderBy('page.is_folder', 'desc');
  for (const column of [...sortColumns[sort], 'id' as const]) {
    query = query.orderBy(`page.${column}`, order);
  }
  // A first page unites two ranges of `limit` rows each; only `limit` of them are the page.
  return query.limit(limit);
};

/** The folder of a page: a user's root, or a folder by id as `actor` sees it. */
export type PageFolder = { rootOf: string } | { id: string; actor: Actor };

/** The folder's row and the actor's role on it (at most one row). */
const pageFolderWithRole = (folder: PageFolder) =>
  'rootOf' in folder
    ? sql`select nodes.*, 'owner' as resolved_role from nodes
          where nodes.owner_id = ${folder.rootOf} and nodes.is_root`
    : roleQuery(folder.actor, folder.id);

/**
 * A folder page and the check that the folder may be read, in one statement: the page is read
 * only when the actor's role may read a live folder; the owner's shared flags only when the
 * actor is the owner. No rows: no such folder, not readable, or an empty page (the caller asks
 * again the usual way to tell which).
 */
export const listReadableChildrenPage = async (
  db: Db,
  {
    folder,
    readRoles,
    actorId,
    ...page
  }: {
    folder: PageFolder;
    readRoles: readonly string[];
    actorId: string | null;
    inFolders: boolean;
    sort: ChildSort;
    order: SortOrder;
    after: { values: KeyValue[]; id: string } | null;
    limit: number;
  },
): Promise<ListedChild[]> => {
  const query = childrenPageQuery(db, {
    ...page,
    parentId: sql<string | null>`(select target.id from target
      where target.is_folder and target.trashed_at is null
        and target.resolved_role in (${sql.join(readRoles)}))`,
    sharedBy: actorId ?? undefined,
    sharedIf: sql<boolean>`(select target.owner_id = ${actorId} from target)`,
  });
  const { rows } =
    await sql<ListedChild>`with target as (${pageFolderWithRole(folder)}) ${query}`.execute(db);
  return rows;
};

/** The ancestor names (below the root) of several nodes in one round trip. */
export const getPathsOf = async (db: Db, { ids }: { ids: string[] }) => {
  const paths = new Map<string, { id: string; name: string }[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return paths;
  const result = await sql<{ hit_id: string; id: string; name: string; depth: number }>`
    with recursive up as (
      select n.id as hit_id, p.id, p.name, p.parent_id, p.is_root, 0 as depth
      from nodes n join nodes p on p.id = n.parent_id
      where n.id in (${sql.join(ids)})
      union all
      select up.hit_id, p.id, p.name, p.parent_id, p.is_root, up.depth + 1
      from nodes p join up on p.id = up.parent_id
      where up.depth < 10000
    )
    select hit_id, id, name, depth from up where not is_root order by hit_id, depth desc
  `.execute(db);
  for (const row of result.rows) paths.get(row.hit_id)?.push({ id: row.id, name: row.name });
  return paths;
};
