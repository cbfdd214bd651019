import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DavNode, DeadProperty } from './webdav.properties.js';

/** The dead properties of each of `nodeIds`, by node id. */
export const listDeadProperties = async (db: Db, { nodeIds }: { nodeIds: string[] }) => {
  const byNode = new Map<string, DeadProperty[]>();
  if (nodeIds.length === 0) return byNode;
  const rows = await db
    .selectFrom('dav_properties')
    .selectAll()
    .where('node_id', 'in', nodeIds)
    .orderBy('namespace')
    .orderBy('name')
    .execute();
  for (const row of rows) {
    const list = byNode.get(row.node_id) ?? [];
    list.push({ ns: row.namespace, name: row.name, xml: row.xml });
    byNode.set(row.node_id, list);
  }
  return byNode;
};

export const setDeadProperty = (
  db: Db,
  { nodeId, property }: { nodeId: string; property: DeadProperty },
) =>
  db
    .insertInto('dav_properties')
    .values({ node_id: nodeId, namespace: property.ns, name: property.name, xml: property.xml })
    .onConflict((oc) =>
      oc.columns(['node_id', 'namespace', 'name']).doUpdateSet({ xml: property.xml }),
    )
    .execute();

export const removeDeadProperty = (
  db: Db,
  { nodeId, ns, name }: { nodeId: string; ns: string; name: string },
) =>
  db
    .deleteFrom('dav_properties')
    .where('node_id', '=', nodeId)
    .where('namespace', '=', ns)
    .where('name', '=', name)
    .execute();

/** A copy carries the source's dead properties. */
export const copyDeadProperties = (db: Db, { fromId, toId }: { fromId: string; toId: string }) =>
  db
    .insertInto('dav_properties')
    .columns(['node_id', 'namespace', 'name', 'xml'])
    .expression((eb) =>
      eb
        .selectFrom('dav_properties')
        .select([sql<string>`${toId}::uuid`.as('node_id'), 'namespace', 'name', 'xml'])
        .where('node_id', '=', fromId),
    )
    .execute();

const DAV_NODE_COLUMNS = [
  'nodes.id',
  'nodes.name',
  'nodes.name_key',
  'nodes.is_folder',
  'nodes.size',
  'nodes.content_type',
  'nodes.sha256',
  'nodes.created_at',
  'nodes.updated_at',
] as const;

/**
 * One page of a folder's live children by name, with only the columns a PROPFIND renders and,
 * when asked, each child's dead properties in the same statement (one probe of their primary
 * key per child): a page is one round trip, not three.
 */
export const listPropfindChildren = async (
  db: Db,
  {
    parentId,
    afterKey,
    limit,
    withDead,
  }: { parentId: string; afterKey: string | null; limit: number; withDead: boolean },
): Promise<(DavNode & { name_key: string; dead: DeadProperty[] })[]> => {
  let query = db
    .selectFrom('nodes')
    .select(DAV_NODE_COLUMNS)
    .select(
      (withDead
        ? sql<DeadProperty[] | null>`(
            select json_agg(json_build_object('ns', namespace, 'name', name, 'xml', xml)
                            order by namespace, name)
            from dav_properties where dav_properties.node_id = nodes.id)`
        : sql<null>`null`
      ).as('dead'),
    )
    .where('nodes.parent_id', '=', parentId)
    .where('nodes.trashed_at', 'is', null);
  if (afterKey !== null) query = query.where('nodes.name_key', '>', afterKey);
  const rows = await query.orderBy('nodes.name_key').limit(limit).execute();
  return rows.map((row) => ({ ...row, dead: row.dead ?? [] }));
};
