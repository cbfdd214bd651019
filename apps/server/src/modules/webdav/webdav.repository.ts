import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DeadProperty } from './webdav.properties.js';

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
