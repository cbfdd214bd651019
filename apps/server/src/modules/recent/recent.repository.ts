import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { exactTime, type TimeCursor } from '../nodes/time-cursor.js';

/** The latest time this user opened (downloaded or previewed) this file. */
export const upsertNodeOpen = (
  db: Db,
  { userId, nodeId, at }: { userId: string; nodeId: string; at: Date },
) =>
  db
    .insertInto('node_opens')
    .values({ user_id: userId, node_id: nodeId, opened_at: at })
    .onConflict((conflict) =>
      conflict
        .columns(['user_id', 'node_id'])
        .doUpdateSet({ opened_at: at })
        .where('node_opens.opened_at', '<', at),
    )
    .execute();

export type RecentRow = NodeRow & { at: Date; at_exact: string; reason: 'changed' | 'opened' };

/**
 * Each file once, at the later of its last change (the user's own files) and the user's last
 * open: two newest-first index walks, each leaving out what the other shows later.
 */
export const listRecentFiles = async (
  db: Db,
  { userId, after, limit }: { userId: string; after: TimeCursor | undefined; limit: number },
) => {
  const before = (at: string, id: string) =>
    after
      ? sql`and (${sql.ref(at)}, ${sql.ref(id)}) < (${after.at}::timestamptz, ${after.id}::uuid)`
      : sql``;
  const result = await sql<RecentRow>`
    select n.*, r.at, ${exactTime('r.at')} as at_exact, r.reason from (
      (select c.id as node_id, c.updated_at as at, 'changed' as reason
       from nodes c
       where c.owner_id = ${userId} and not c.is_folder and c.trashed_at is null
         ${before('c.updated_at', 'c.id')}
         and not exists (select 1 from node_opens o
                         where o.user_id = ${userId} and o.node_id = c.id and o.opened_at > c.updated_at)
       order by c.updated_at desc, c.id desc
       limit ${limit})
      union all
      (select o.node_id, o.opened_at, 'opened'
       from node_opens o join nodes m on m.id = o.node_id
       where o.user_id = ${userId} and m.trashed_at is null
         ${before('o.opened_at', 'o.node_id')}
         and not (m.owner_id = ${userId} and m.updated_at >= o.opened_at)
       order by o.opened_at desc, o.node_id desc
       limit ${limit})
    ) r join nodes n on n.id = r.node_id
    order by r.at desc, n.id desc
    limit ${limit}
  `.execute(db);
  return result.rows;
};
