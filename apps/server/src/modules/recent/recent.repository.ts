import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { exactTime, type TimeCursor } from '../nodes/time-cursor.js';

/**
 * The latest time this user opened (downloaded or previewed) this file. The commit does not
 * wait for the WAL to reach the disk (`synchronous_commit` off for this statement only): a
 * download's first byte waited on that flush, and on the embedded database the flush blocks
 * every transfer in the process. A crash can lose the last opens, never other writes: the next
 * durable commit flushes them too.
 */
export const upsertNodeOpen = async (
  db: Db,
  { userId, nodeId, at }: { userId: string; nodeId: string; at: Date },
) => {
  await sql`
    insert into node_opens (user_id, node_id, opened_at)
    select ${userId}::uuid, ${nodeId}::uuid, ${at}::timestamptz
    from (select set_config('synchronous_commit', 'off', true)) as async_commit
    on conflict (user_id, node_id) do update set opened_at = excluded.opened_at
    where node_opens.opened_at < excluded.opened_at
  `.execute(db);
};

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
