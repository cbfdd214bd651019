import type { Db } from '../../db/database.js';
import type { Actor } from '../access/access.models.js';
import { pageByTime } from '../nodes/time-cursor.js';
import { listRecentFiles, upsertNodeOpen } from './recent.repository.js';
import { withVisiblePaths } from './recent.visibility.js';

/**
 * A signed-in user opened a file: it goes to the top of their Recent list. A ranged request
 * counts only from the first byte, so a video streamed in many ranges is one open.
 */
export const recordFileOpened = async ({
  db,
  actor,
  fileId,
  range,
}: {
  db: Db;
  actor: Actor;
  fileId: string;
  range?: string | undefined;
}) => {
  if (actor.kind !== 'user') return;
  if (range && !/^bytes=0-/.test(range.trim())) return;
  await upsertNodeOpen(db, { userId: actor.userId, nodeId: fileId, at: new Date() });
};

export const listRecent = async ({
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
    fetch: (after, count) => listRecentFiles(db, { userId, after, limit: count }),
    positionOf: (row) => ({ at: row.at_exact, id: row.id }),
  });
  return {
    items: await withVisiblePaths({ db, userId, rows: page.items }),
    nextCursor: page.nextCursor,
  };
};
