import { sql, type CompiledQuery, type Expression, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import { statementTemplate } from '../../db/statement-templates.js';
import type { Actor } from '../access/access.models.js';
import { roleQuery } from '../access/access.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { isSharedByOwner } from '../sharing/shared-flags.repository.js';
import { thumbnailUrlSql } from '../thumbnails/thumbnails.repository.js';
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
export const childrenPage = (...args: Parameters<typeof childrenPageQuery>): PageStatement =>
  sql<ListedChild>`${childrenPageQuery(...args)}`;

/** The statement `childrenPage` runs (its plan is tested). */
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

/** The rows of one folder page, as `childrenPage` or `readableChildrenPage` select them. */
export type PageStatement = RawBuilder<ListedChild>;

/**
 * A folder page and the check that the folder may be read, in one statement: the page is read
 * only when the actor's role may read a live folder; the owner's shared flags only when the
 * actor is the owner. No rows: no such folder, not readable, or an empty page (the caller asks
 * again the usual way to tell which).
 */
export const readableChildrenPage = (
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
): PageStatement => {
  const query = childrenPageQuery(db, {
    ...page,
    parentId: sql<string | null>`(select target.id from target
      where target.is_folder and target.trashed_at is null
        and target.resolved_role in (${sql.join(readRoles)}))`,
    sharedBy: actorId ?? undefined,
    sharedIf: sql<boolean>`(select target.owner_id = ${actorId} from target)`,
  });
  return sql<ListedChild>`with target as (${pageFolderWithRole(folder)}) ${query}`;
};

export const pageRows = async (db: Db, statement: PageStatement): Promise<ListedChild[]> =>
  (await statement.execute(db)).rows;

/**
 * A page as its answer's JSON: the items array, as `toNodeDto` writes each row (with `shared`
 * only when true), written by the database. For a 50-row page this spares reading 800 values
 * off the wire into objects and writing them out again, most of a listing's CPU in this
 * process; `fetched` and the last item's sort key are what the next cursor needs.
 */
export type RenderedPage = {
  itemsJson: string;
  fetched: number;
  /** The page's last item, when more rows follow it. */
  last: { isFolder: boolean; values: KeyValue[]; id: string } | null;
};

type RenderedRow = {
  items: string | null;
  fetched: number;
  last: [boolean, ...KeyValue[]] | null;
};

/** The statement of a rendered page: `statement`'s rows written as the items' JSON. */
const renderedPageQuery = (
  statement: PageStatement,
  { limit, sort, order }: { limit: number; sort: ChildSort; order: SortOrder },
) => {
  const direction = sql.raw(order);
  const ordering = sql.join([
    sql`r.is_folder desc`,
    ...[...sortColumns[sort], 'id' as const].map(
      (column) => sql`${sql.ref(`r.${column}`)} ${direction}`,
    ),
  ]);
  const item = sql<string>`row_to_json((select dto from (select r.id,
      case when r.is_folder then 'folder' else 'file' end as kind,
      r.parent_id as "parentId", r.name, r.size,
      case when r.is_folder then null else r.content_type end as "contentType",
      r.sha256, r.storage_state as "storageState", r.archive_error as "archiveError",
      ${thumbnailUrlSql('r')} as "thumbnailUrl",
      r.created_at as "createdAt", r.updated_at as "updatedAt") dto))::text`;
  const key = sql.join(sortColumns[sort].map((column) => sql.ref(`r.${column}`)));
  return sql<RenderedRow>`select
      '[' || string_agg(case when r.shared then left(r.item, -1) || ',"shared":true}' else r.item end,
        ',' order by r.ordinal) filter (where r.ordinal <= ${limit}) || ']' as items,
      count(*)::int as fetched,
      (array_agg(json_build_array(r.is_folder, ${key}, r.id)) filter (where r.ordinal = ${limit}))[1]
        as last
    from (select r.*, ${item} as item, row_number() over (order by ${ordering}) as ordinal
          from (${statement}) r) r`;
};

const readRenderedPage = async (
  db: Db,
  query: CompiledQuery<RenderedRow>,
  limit: number,
): Promise<RenderedPage> => {
  const { rows } = await db.executeQuery(query);
  const row = rows[0];
  const fetched = row?.fetched ?? 0;
  const last = fetched > limit ? row?.last : null;
  return {
    itemsJson: row?.items ?? '[]',
    fetched,
    last: last
      ? {
          isFolder: last[0],
          values: last.slice(1, -1) as KeyValue[],
          id: String(last.at(-1)),
        }
      : null,
  };
};

export const renderedPage = (
  db: Db,
  statement: PageStatement,
  args: { limit: number; sort: ChildSort; order: SortOrder },
): Promise<RenderedPage> =>
  readRenderedPage(db, renderedPageQuery(statement, args).compile(db), args.limit);

export type ReadablePageArgs = Parameters<typeof readableChildrenPage>[1];

/** What makes a readable page's text differ: everything but its values. */
type ReadablePageShape = Pick<ReadablePageArgs, 'readRoles' | 'inFolders' | 'sort' | 'order'> & {
  folder: 'root' | 'user';
  /** How many sort-key values the cursor carries; null without a cursor. */
  afterValues: number | null;
};

/** A readable page's values; those its shape does not use are sent as ''. */
type ReadablePageValues = {
  /** The folder's id, or for a root the id of the user whose root it is. */
  folderId: string;
  /** The user who asks (a link visitor's page is read as rows). */
  actorId: string;
  /** Rows asked of the ranges: the page and one more, which says whether another page follows. */
  fetchLimit: number;
  pageLimit: number;
  afterId: string;
} & { [key: `after${number}`]: KeyValue };

const readablePageTemplate = statementTemplate(
  (db: Db, shape: ReadablePageShape, values: ReadablePageValues) =>
    renderedPageQuery(
      readableChildrenPage(db, {
        readRoles: shape.readRoles,
        inFolders: shape.inFolders,
        sort: shape.sort,
        order: shape.order,
        limit: values.fetchLimit,
        actorId: values.actorId,
        after:
          shape.afterValues === null
            ? null
            : {
                values: Array.from({ length: shape.afterValues }, (_, index) => {
                  const value = values[`after${index}`];
                  if (value === undefined) throw new Error(`The cursor has no value ${index}.`);
                  return value;
                }),
                id: values.afterId,
              },
        folder:
          shape.folder === 'root'
            ? { rootOf: values.folderId }
            : { id: values.folderId, actor: { kind: 'user', userId: values.actorId } },
      }),
      { limit: values.pageLimit, sort: shape.sort, order: shape.order },
    ),
);

/**
 * A readable page (`readableChildrenPage`) as its answer's JSON (`renderedPage`), its statement
 * compiled once per shape: the owner's and a sharee's listing, the busiest read there is. (A
 * link visitor's page is read as rows.)
 */
export const renderedReadablePage = (
  db: Db,
  { folder, readRoles, actorId, inFolders, sort, order, after, limit }: ReadablePageArgs,
  pageLimit: number,
): Promise<RenderedPage> => {
  const byId = 'id' in folder ? folder : undefined;
  if (actorId === null || (byId && byId.actor.kind !== 'user')) {
    throw new Error('A link visitor’s page is read as rows.');
  }
  const shape: ReadablePageShape = {
    folder: byId ? 'user' : 'root',
    readRoles,
    inFolders,
    sort,
    order,
    afterValues: after ? after.values.length : null,
  };
  const values: ReadablePageValues = {
    folderId: 'rootOf' in folder ? folder.rootOf : folder.id,
    actorId,
    fetchLimit: limit,
    pageLimit,
    afterId: after?.id ?? '',
  };
  after?.values.forEach((value, index) => {
    values[`after${index}`] = value;
  });
  return readRenderedPage(db, readablePageTemplate(db, shape, values), pageLimit);
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
