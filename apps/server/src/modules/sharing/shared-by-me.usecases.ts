import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { decodeTimeCursor, encodeTimeCursor } from '../nodes/time-cursor.js';
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
  const rows = await listSharedBy(db, {
    ownerId,
    after: cursor ? decodeTimeCursor(cursor) : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last
        ? encodeTimeCursor({ at: new Date(last.shared_at), id: last.id })
        : null,
  };
};
