import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { Actor, Role } from './access.models.js';

/** Deep enough for any real tree; a cycle (which the move guard prevents) still terminates. */
const MAX_DEPTH = 10_000;

/**
 * The node (live or trashed) and the actor's effective role on it, in one statement and one
 * round trip: the node by primary key, and for anybody but its owner the ancestor walk (by
 * primary key, probing the shares index for this grantee at each level). The strongest grant on
 * the node or any ancestor wins. O(depth) index lookups, never a scan (see the query-plan
 * test); the owner's check never runs the walk at all, since PostgreSQL evaluates the sub-select
 * only when the `case` reaches it.
 */
export const resolveNodeRole = async (
  db: Db,
  { actor, nodeId }: { actor: Actor; nodeId: string },
): Promise<{ node: NodeRow; role: Role | null } | undefined> => {
  const { rows } = await roleQuery(actor, nodeId).execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { resolved_role: role, ...node } = row;
  return { node, role };
};

/** The node and the role, as one statement; exported for the query-plan test. */
export const roleQuery = (actor: Actor, nodeId: string) => sql<
  NodeRow & { resolved_role: Role | null }
>`
  select nodes.*,
    ${
      actor.kind === 'user'
        ? sql`case when nodes.owner_id = ${actor.userId} then 'owner' else (${grantWalk(
            // A sub-select per level rather than a join: it stays one probe of the
            // (node_id, grantee_id) index per ancestor however few shares the table holds,
            // where a join may hash a whole (small) shares table instead.
            sql`select case when bool_or(grant_role = 'editor') then 'editor'
                            when bool_or(grant_role = 'viewer') then 'viewer' end
                from (select (select s.role from shares s
                              where s.node_id = chain.id and s.grantee_id = ${actor.userId})
                             as grant_role
                      from chain) levels`,
            nodeId,
          )}) end`
        : sql`(${grantWalk(
            sql`select ${actor.role}::text from chain where chain.id = ${actor.nodeId}`,
            nodeId,
          )})`
    } as resolved_role
  from nodes where nodes.id = ${nodeId}
`;

/** The node and its ancestors, nearest first, then `probe` over them. */
const grantWalk = (probe: RawBuilder<unknown>, nodeId: string) => sql`
  with recursive chain as (
    select id, parent_id, 0 as depth from nodes where id = ${nodeId}
    union all
    select n.id, n.parent_id, chain.depth + 1
    from nodes n join chain on n.id = chain.parent_id
    where chain.depth < ${MAX_DEPTH}
  )
  ${probe}
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
