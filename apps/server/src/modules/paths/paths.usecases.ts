import { notFound } from '../../app/app-error.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { authorizeNode } from '../access/access.usecases.js';
import { splitPath } from '../nodes/nodes.models.js';
import { resolveLivePath } from '../nodes/nodes.repository.js';
import { ensureUserSpace, type FilesDeps } from '../nodes/nodes.usecases.js';

/**
 * The file or folder at `/a/b/c` in the caller's own tree, and the folders on the way to it:
 * one query however deep (the sibling-name index, one lookup per level), names compared as the
 * unique-name rule compares them.
 */
export const getNodeByPath = async ({
  actor,
  path,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & { actor: Actor; path: string }) => {
  const names = splitPath(path);
  const ownerId = actorUserId(actor);
  if (!ownerId) throw notFound('Nothing exists at this path.');
  let chain = await resolveLivePath(deps.db, { ownerId, names });
  if (chain.length === 0) {
    await ensureUserSpace({ ...deps, ownerId });
    chain = await resolveLivePath(deps.db, { ownerId, names });
  }
  const found = chain.length === names.length + 1 ? chain.at(-1) : undefined;
  if (!found) throw notFound('Nothing exists at this path.');
  // The same rule as every other route decides, though today the tree is always the caller's.
  const { node } = await authorizeNode({ db: deps.db, actor, id: found.id, action: 'read' });
  return { node, ancestors: chain.slice(1, -1).map(({ id, name }) => ({ id, name })) };
};
