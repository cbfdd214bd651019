import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { exactTime, type TimeCursor } from '../nodes/time-cursor.js';

export const insertStar = (db: Db, { userId, nodeId }: { userId: string; nodeId: string }) =>
  db
    .insertInto('stars')
    .values({ user_id: userId, node_id: nodeId })
    .onConflict((conflict) => conflict.columns(['user_id', 'node_id']).doNothing())
    .execute();

export const deleteStar = (db: Db, { userId, nodeId }: { userId: string; nodeId: string }) =>
  db.deleteFrom('stars').where('user_id', '=', userId).where('node_id', '=', nodeId).execute();

export const findStar = (db: Db, { userId, nodeId }: { userId: string; nodeId: string }) =>
  db
    .selectFrom('stars')
    .select('node_id')
    .where('user_id', '=', userId)
    .where('node_id', '=', nodeId)
    .executeTakeFirst();

/** The user's starred live nodes, newest star first. */
export const listStarredNodes = async (
  db: Db,
  { userId, after, limit }: { userId: string; after: TimeCursor | undefined; limit: number },
) => {
  const result = await sql<NodeRow & { starred_at: Date; starred_exact: string }>`
    select n.*, s.created_at as starred_at, ${exactTime('s.created_at')} as starred_exact
    from stars s join nodes n on n.id = s.node_id
    where s.user_id = ${userId} and n.trashed_at is null
      ${after ? sql`and (s.created_at, s.node_id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by s.created_at desc, s.node_id desc
    limit ${limit}
  `.execute(db);
  return result.rows;
};

/** Which of `nodeIds` the user starred. */
export const listStarredAmong = async (
  db: Db,
  { userId, nodeIds }: { userId: string; nodeIds: readonly string[] },
) =>
  nodeIds.length === 0
    ? []
    : (
        await db
          .selectFrom('stars')
          .select('node_id')
          .where('user_id', '=', userId)
          .where('node_id', 'in', nodeIds)
          .execute()
      ).map((row) => row.node_id);

/** The user's own stars on the direct children of `folderId`. */
export const listStarredChildIds = async (
  db: Db,
  { userId, folderId }: { userId: string; folderId: string },
) =>
  (
    await db
      .selectFrom('stars')
      .innerJoin('nodes', 'nodes.id', 'stars.node_id')
      .select('stars.node_id')
      .where('stars.user_id', '=', userId)
      .where('nodes.parent_id', '=', folderId)
      .execute()
  ).map((row) => row.node_id);
