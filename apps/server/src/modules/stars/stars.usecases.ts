import type { Db } from '../../db/database.js';
import { userActor } from '../access/access.models.js';
import { authorizeNode } from '../access/access.usecases.js';
import { pageByTime } from '../nodes/time-cursor.js';
import { withVisiblePaths } from '../recent/recent.visibility.js';
import {
  deleteStar,
  findStar,
  insertStar,
  listStarredChildIds,
  listStarredNodes,
} from './stars.repository.js';

/** Any file or folder the user can open, theirs or shared with them; anything else is 404. */
export const starNode = async ({ db, userId, id }: { db: Db; userId: string; id: string }) => {
  const { node } = await authorizeNode({ db, actor: userActor(userId), id, action: 'read' });
  await insertStar(db, { userId, nodeId: node.id });
};

/** Idempotent: unstarring what is not starred (or not there) changes nothing. */
export const unstarNode = async ({ db, userId, id }: { db: Db; userId: string; id: string }) => {
  await deleteStar(db, { userId, nodeId: id });
};

/** Reads only the caller's own star row: any id answers, so nothing about others' nodes leaks. */
export const isStarred = async ({ db, userId, id }: { db: Db; userId: string; id: string }) =>
  (await findStar(db, { userId, nodeId: id })) !== undefined;

/**
 * Which children of a folder the caller starred, for its rows' toggles. Like `isStarred`, only
 * the caller's own star rows are read: any folder id answers, so nothing about others leaks.
 */
export const starredChildIds = ({
  db,
  userId,
  folderId,
}: {
  db: Db;
  userId: string;
  folderId: string;
}) => listStarredChildIds(db, { userId, folderId });

/** Starred items still in reach: a share taken back hides its star until it is given again. */
export const listStarred = async ({
  db,
  userId,
  cursor,
  limit,
}: {
  db: Db;
  userId: string;
  cursor?: string | undefined;
  limit: number;
}) => {
  const page = await pageByTime({
    cursor,
    limit,
    fetch: (after, count) => listStarredNodes(db, { userId, after, limit: count }),
    positionOf: (row) => ({ at: row.starred_exact, id: row.id }),
  });
  return {
    items: await withVisiblePaths({ db, userId, rows: page.items }),
    nextCursor: page.nextCursor,
  };
};
