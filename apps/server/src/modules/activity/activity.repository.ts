import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { TimeCursor } from '../nodes/time-cursor.js';

export type ActivityRow = {
  id: string;
  kind: string;
  detail: Record<string, unknown>;
  created_at: Date;
  actor_user_id: string | null;
  actor_email: string | null;
};

/** The node's entries newest first, after `after`, with each actor's current address. */
export const listNodeActivity = async (
  db: Db,
  {
    nodeId,
    after,
    limit,
    hiddenKinds,
  }: {
    nodeId: string;
    after: TimeCursor | undefined;
    limit: number;
    hiddenKinds: readonly string[];
  },
) =>
  (
    await sql<ActivityRow>`
      select a.id, a.kind, a.detail, a.created_at, a.actor_user_id,
        case when u.deleted_at is null then u.email end as actor_email
      from node_activity a left join users u on u.id = a.actor_user_id
      where a.node_id = ${nodeId} and not (a.kind = any(${[...hiddenKinds]}::text[]))
        ${
          after
            ? // The cursor row's own time, not the cursor's: that has milliseconds, the column
              // microseconds, so entries within one millisecond were skipped or shown twice. A
              // cursor row since trimmed had only older (also trimmed) entries after it: none.
              sql`and (a.created_at, a.seq) <
                (select created_at, seq from node_activity where id = ${after.id}::uuid)`
            : sql``
        }
      order by a.created_at desc, a.seq desc
      limit ${limit}
    `.execute(db)
  ).rows;

/**
 * Who the rest of the transaction's changes are recorded under (the triggers read it). Local to
 * the transaction, so a pooled connection never carries it into someone else's.
 */
export const setActivityActor = async (trx: Db, userId: string | null) => {
  if (userId) await sql`select set_config('myfile.actor_user_id', ${userId}, true)`.execute(trx);
};
