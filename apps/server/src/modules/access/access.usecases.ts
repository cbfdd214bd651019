/** The one authorization rule for nodes: see README.md beside this file. */
import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { forbidden } from '../auth/auth.errors.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { roleAllows, type Action, type Actor, type Role } from './access.models.js';
import { resolveNodeRole } from './access.repository.js';

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
