import { sql, type Expression } from 'kysely';

/**
 * Whether `owner` shares the node `nodeId` names with a person or by a working link: the
 * "Shared" badge of a folder page, probing both tables (each indexed on node_id) per row.
 */
export const isSharedByOwner = (nodeId: Expression<string>, owner: string) =>
  sql<boolean>`(exists (select 1 from shares s where s.node_id = ${nodeId} and s.owner_id = ${owner})
    or exists (select 1 from share_links l where l.node_id = ${nodeId} and l.owner_id = ${owner}
      and l.revoked_at is null and (l.expires_at is null or l.expires_at > now())))`;
