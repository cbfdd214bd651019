import type { Db } from '../../db/database.js';
import { userActor } from '../access/access.models.js';
import { resolveNodeRole } from '../access/access.repository.js';
import { getPathsOf } from '../folders/folders.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';

/**
 * The rows the user may still open, each with its path. Their own are kept as they are; another
 * owner's go through the access rule again (a share may have been taken back), and show no
 * path, which would name the owner's folders.
 */
export const withVisiblePaths = async <Row extends NodeRow>({
  db,
  userId,
  rows,
}: {
  db: Db;
  userId: string;
  rows: Row[];
}) => {
  const visible: Row[] = [];
  for (const row of rows) {
    if (row.owner_id === userId) {
      visible.push(row);
      continue;
    }
    const found = await resolveNodeRole(db, { actor: userActor(userId), nodeId: row.id });
    if (found?.role) visible.push(row);
  }
  const paths = await getPathsOf(db, {
    ids: visible.filter((row) => row.owner_id === userId).map((row) => row.id),
  });
  return visible.map((row) => ({ row, path: paths.get(row.id) ?? [] }));
};
