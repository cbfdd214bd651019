import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { pageByTime } from '../nodes/time-cursor.js';
import { listSharedBy } from './shared-by-me.repository.js';

/** "Shared by me": every live item of mine that a person or a working link can open. */
export const listSharedByMe = async ({
  db,
  actor,
  cursor,
  limit,
}: {
  db: Db;
  actor: Actor;
  cursor?: string | undefined;
  limit: number;
}) => {
  const ownerId = actorUserId(actor);
  if (!ownerId) throw notFound();
  return pageByTime({
    cursor,
    limit,
    fetch: (after, rows) => listSharedBy(db, { ownerId, after, limit: rows }),
    positionOf: (row) => ({ at: row.shared_exact, id: row.id }),
  });
};
