import type { DomainEvent } from '@myfile/contract';
import { sql, type RawBuilder } from 'kysely';
import { ownerSharesNothingIn } from '../nodes/nodes.models.js';
import type { Db } from '../../db/database.js';

type LinkRow = { id: string; node_id: string };

/** Who may hear of a node event: sharees, and working viewer links now and before a move. */
export type Watchers = { grantees: string[]; linksNow: LinkRow[]; linksBefore: LinkRow[] };

const NOBODY: Watchers = { grantees: [], linksNow: [], linksBefore: [] };

const among = (ids: readonly string[]) =>
  ids.length ? sql<boolean>`id in (${sql.join(ids)})` : sql<boolean>`false`;

/**
 * Whether the owner of these nodes has any share or viewer link at all, anywhere: nodes never
 * move between owners, so without one nobody else can hear of them. Most owners never share,
 * and this costs a fraction of the walk (a plan for one small statement, two index probes),
 * which every upload, rename and move would otherwise run.
 */
const ownerSharesAnything = async (db: Db, nodeIds: readonly string[]) => {
  const owners = sql`select owner_id from nodes where id in (${sql.join(nodeIds)})`;
  const { rows } = await sql<{ shares: boolean }>`
    select ${sharesAnythingAmong(owners)} as shares
  `.execute(db);
  return rows[0]?.shares === true;
};

/**
 * Whether any of `owners` (a subquery or a list of ids) has a share or a viewer link: the
 * question above, for a statement that asks it alongside its own work (see `toNodeEvent`'s
 * `ownerSharesNothing`).
 */
export const sharesAnythingAmong = (owners: RawBuilder<unknown>) => sql<boolean>`(
  exists (select 1 from shares where owner_id in (${owners}))
  or exists (
    select 1 from share_links
    where owner_id in (${owners}) and role = 'viewer' and revoked_at is null
  )
)`;

/**
 * Sharees with a share on or above `grantees`' nodes, and working viewer links on or above
 * `linksNow`' and `linksBefore`' nodes, found in one walk up the tree: each starting node
 * carries which of the three questions it asks up to its ancestors.
 */
export const listWatchersAbove = async (
  db: Db,
  starts: { grantees: string[]; linksNow: string[]; linksBefore: string[] },
): Promise<Watchers> => {
  const all = [...new Set([...starts.grantees, ...starts.linksNow, ...starts.linksBefore])];
  if (!all.length || !(await ownerSharesAnything(db, all))) return NOBODY;
  const live = sql`l.role = 'viewer'
    and l.revoked_at is null
    and (l.expires_at is null or l.expires_at > now())
    and (l.download_limit is null or l.download_count < l.download_limit)`;
  const { rows } = await sql<{ kind: 'grantee' | 'now' | 'before'; id: string; node_id: string }>`
    with recursive chain as (
      select id, parent_id, 0 as depth,
        ${among(starts.grantees)} as g, ${among(starts.linksNow)} as n,
        ${among(starts.linksBefore)} as b
      from nodes where id in (${sql.join(all)})
      union all
      select p.id, p.parent_id, chain.depth + 1, chain.g, chain.n, chain.b
      from nodes p join chain on p.id = chain.parent_id
      where chain.depth < 10000
    )
    select 'grantee' as kind, s.grantee_id::text as id, null::text as node_id
    from chain join shares s on s.node_id = chain.id
    where chain.g and s.grantee_id is not null
    union
    select 'now', l.id::text, l.node_id::text
    from chain join share_links l on l.node_id = chain.id
    where chain.n and ${live}
    union
    select 'before', l.id::text, l.node_id::text
    from chain join share_links l on l.node_id = chain.id
    where chain.b and ${live}
  `.execute(db);
  const watchers: Watchers = { grantees: [], linksNow: [], linksBefore: [] };
  for (const row of rows) {
    if (row.kind === 'grantee') watchers.grantees.push(row.id);
    else (row.kind === 'now' ? watchers.linksNow : watchers.linksBefore).push(row);
  }
  return watchers;
};

const nodeOf = (event: DomainEvent) =>
  'file' in event ? event.file : 'folder' in event ? event.folder : undefined;

const previousParentOf = (event: DomainEvent) =>
  'previousParentId' in event && typeof event.previousParentId === 'string'
    ? event.previousParentId
    : undefined;

/**
 * The watchers of an event, looked up once however many listeners ask (the sharees' audience
 * and the links' channels each ask for every event).
 */
export const watchersOf = (db: Db) => {
  const found = new WeakMap<DomainEvent, Promise<Watchers>>();
  return (event: DomainEvent): Promise<Watchers> => {
    const known = found.get(event);
    if (known) return known;
    if (ownerSharesNothingIn(event)) return Promise.resolve(NOBODY);
    const node = nodeOf(event);
    const previousParentId = previousParentOf(event);
    const lookup = node
      ? listWatchersAbove(db, {
          grantees: previousParentId ? [node.id, previousParentId] : [node.id],
          // A node already gone is still found through its parent.
          linksNow: node.parentId ? [node.id, node.parentId] : [node.id],
          linksBefore: previousParentId ? [previousParentId] : [],
        })
      : Promise.resolve(NOBODY);
    found.set(event, lookup);
    return lookup;
  };
};
