/** The one authorization rule for nodes: see README.md beside this file. */
import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { forbidden } from '../auth/auth.errors.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { roleAllows, type Action, type Actor, type Role } from './access.models.js';
import { findGrantsAmong, resolveNodeRole } from './access.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const missing = (expect: 'file' | 'folder' | undefined) =>
  notFound(expect ? `No such ${expect}.` : 'No such file or folder.');

/**
 * A live node and the actor's role on it, when that role allows `action`. No role at all (a
 * stranger's id, a malformed or trashed one, the wrong kind) is 404 `not_found`, exactly like a
 * missing node, so nothing leaks; a role too weak for the action is 403 `forbidden`.
 */
export const authorizeNode = async ({
  db,
  actor,
  id,
  action,
  expect,
}: {
  db: Db;
  actor: Actor;
  id: string;
  action: Action;
  expect?: 'file' | 'folder' | undefined;
}): Promise<{ node: NodeRow; role: Role }> => {
  const found = UUID.test(id) ? await resolveNodeRole(db, { actor, nodeId: id }) : undefined;
  if (!found?.role || found.node.trashed_at) throw missing(expect);
  if (expect && (expect === 'folder') !== found.node.is_folder) throw missing(expect);
  if (!roleAllows(found.role, action)) throw forbiddenFor(found.role, action);
  return { node: found.node, role: found.role };
};

const forbiddenFor = (role: Role, action: Action) =>
  forbidden(
    action === 'manage'
      ? 'Only the owner can do this.'
      : `A ${role} cannot ${action === 'read' ? 'open' : 'change'} this item.`,
  );

/**
 * `write` on a node, and for anybody but its owner also on its parent: renaming, moving or
 * deleting an item changes its folder, so an editor may do it inside the shared folder but
 * not to the shared folder itself.
 */
export const authorizeChange = async ({
  db,
  actor,
  id,
  expect,
}: {
  db: Db;
  actor: Actor;
  id: string;
  expect?: 'file' | 'folder' | undefined;
}) => {
  const found = await authorizeNode({ db, actor, id, action: 'write', expect });
  if (found.role === 'owner') return found;
  const parent = found.node.parent_id
    ? await resolveNodeRole(db, { actor, nodeId: found.node.parent_id })
    : undefined;
  if (!parent?.role || !roleAllows(parent.role, 'write')) {
    throw forbidden('Only the owner can rename, move or delete the shared item itself.');
  }
  return found;
};

/**
 * The part of a path (ancestors, top first) the actor may see: all of it for the owner; for
 * anybody else, from the topmost ancestor they were given access to. Nobody learns the names
 * of the owner's folders above what was shared.
 */
export const visiblePath = async <Item extends { id: string }>({
  db,
  actor,
  role,
  path,
}: {
  db: Db;
  actor: Actor;
  role: Role;
  path: Item[];
}): Promise<Item[]> => {
  if (role === 'owner') return path;
  const granted =
    actor.kind === 'link'
      ? new Set([actor.nodeId])
      : new Set(
          (
            await findGrantsAmong(db, {
              userId: actor.userId,
              nodeIds: path.map((item) => item.id),
            })
          ).map((row) => row.node_id),
        );
  const start = path.findIndex((item) => granted.has(item.id));
  return start < 0 ? [] : path.slice(start);
};

/**
 * The parent id the actor may learn: the owner's always; anybody else's only when the parent is
 * inside what they may see (the last item of their visible path, `visiblePath`). The shared
 * item itself answers null, like a top folder, so no id of the owner's tree above it leaks.
 */
export const visibleParentId = ({
  node,
  role,
  path,
}: {
  node: Pick<NodeRow, 'parent_id'>;
  role: Role;
  path: readonly { id: string }[];
}): string | null =>
  role === 'owner' || path.at(-1)?.id === node.parent_id ? node.parent_id : null;
