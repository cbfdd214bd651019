import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { exactTime, type TimeCursor } from '../nodes/time-cursor.js';

export type SharedByMeRow = NodeRow & {
  people: number;
  links: number;
  shared_at: Date;
  shared_exact: string;
};

/**
 * The owner's live items that have at least one person or one working link, newest share
 * first. Both tables are read by the owner's own rows (people through `shares_owner_idx`), so
 * the cost grows with what this person shared, never with the whole table.
 */
export const listSharedBy = async (
  db: Db,
  { ownerId, after, limit }: { ownerId: string; after?: TimeCursor | undefined; limit: number },
) => {
  const result = await sql<SharedByMeRow>`
    with grants as (
      select node_id, count(*)::int as people, 0 as links, max(created_at) as at
        from shares where owner_id = ${ownerId} group by node_id
      union all
      select node_id, 0, count(*)::int, max(created_at)
        from share_links
        where owner_id = ${ownerId} and revoked_at is null
          and (expires_at is null or expires_at > now())
        group by node_id
    ), per_node as (
      select node_id, sum(people)::int as people, sum(links)::int as links, max(at) as shared_at
        from grants group by node_id
    )
    select n.*, p.people, p.links, p.shared_at, ${exactTime('p.shared_at')} as shared_exact
      from per_node p join nodes n on n.id = p.node_id
      where n.trashed_at is null
        ${after ? sql`and (p.shared_at, p.node_id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by p.shared_at desc, p.node_id desc
      limit ${limit}
  `.execute(db);
  return result.rows;
};
