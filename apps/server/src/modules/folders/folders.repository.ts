import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { sortColumns, type ChildSort, type KeyValue, type SortOrder } from './folders.models.js';

/**
 * One keyset range of a folder: its folders or its files, in one sort. The equality on
 * (parent_id, is_folder) plus the row comparison lets PostgreSQL walk the matching index from
 * the cursor, so page 1,000 costs what page 1 does.
 */
export const listChildrenRange = (
  db: Db,
  {
    parentId,
    folders,
    sort,
    order,
    after,
    limit,
  }: {
    parentId: string;
    folders: boolean;
    sort: ChildSort;
    order: SortOrder;
    after: { values: KeyValue[]; id: string } | null;
    limit: number;
  },
): Promise<NodeRow[]> => {
  const columns = [...sortColumns[sort], 'id' as const];
  let query = db
    .selectFrom('nodes')
    .selectAll()
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
  return query.limit(limit).execute();
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
