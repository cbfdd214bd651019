import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { Actor, Role } from './access.models.js';

/** Deep enough for any real tree; a cycle (which the move guard prevents) still terminates. */
const MAX_DEPTH = 10_000;

/**
 * The node (live or trashed) and the actor's effective role on it, in one statement: walk the
 * ancestors by primary key, then at each level probe the shares index for this grantee. The
 * strongest grant on the node or any ancestor wins. O(depth) index lookups, never a scan (see
 * the query-plan test).
 */
export const resolveNodeRole = async (
  db: Db,
  { actor, nodeId }: { actor: Actor; nodeId: string },
): Promise<{ node: NodeRow; role: Role | null } | undefined> => {
  const node = await db.selectFrom('nodes').selectAll().where('id', '=', nodeId).executeTakeFirst();
  if (!node) return undefined;
  if (actor.kind === 'user' && node.owner_id === actor.userId) return { node, role: 'owner' };
  const granted = await sql<{ role: Role | null }>`${roleQuery(actor, nodeId)}`.execute(db);
  return { node, role: granted.rows[0]?.role ?? null };
};

/** The ancestor walk plus the grant probe, exported for the query-plan test. */
export const roleQuery = (actor: Actor, nodeId: string) => sql`
  with recursive chain as (
    select id, parent_id, 0 as depth from nodes where id = ${nodeId}
    union all
    select n.id, n.parent_id, chain.depth + 1
    from nodes n join chain on n.id = chain.parent_id
    where chain.depth < ${MAX_DEPTH}
  )
  ${
    actor.kind === 'user'
      ? sql`
    select case when bool_or(s.role = 'editor') then 'editor'
                when bool_or(s.role = 'viewer') then 'viewer' end as role
    from chain join shares s on s.node_id = chain.id and s.grantee_id = ${actor.userId}`
      : sql`
    select ${actor.role}::text as role from chain where chain.id = ${actor.nodeId}`
  }
`;

/** Which of `nodeIds` carry a share for this user. */
export const findGrantsAmong = (
  db: Db,
  { userId, nodeIds }: { userId: string; nodeIds: string[] },
) =>
  nodeIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('shares')
        .select('node_id')
        .where('grantee_id', '=', userId)
        .where('node_id', 'in', nodeIds)
        .execute();
