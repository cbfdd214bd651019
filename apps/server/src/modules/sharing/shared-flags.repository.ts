import type { Db } from '../../db/database.js';

/**
 * Which of these nodes of mine a person or a working link can open, for the "Shared" badge of
 * a folder page: one statement probing both tables over the page's ids (both indexed on
 * node_id), one round trip per page.
 */
export const findSharedAmong = async (
  db: Db,
  { ownerId, ids }: { ownerId: string; ids: string[] },
): Promise<Set<string>> => {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('shares')
    .select('node_id')
    .where('node_id', 'in', ids)
    .where('owner_id', '=', ownerId)
    .unionAll(
      db
        .selectFrom('share_links')
        .select('node_id')
        .where('node_id', 'in', ids)
        .where('owner_id', '=', ownerId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())])),
    )
    .execute();
  return new Set(rows.map((row) => row.node_id));
};
