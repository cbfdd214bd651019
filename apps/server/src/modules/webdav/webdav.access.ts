import type { Actor } from '../access/access.models.js';
import type { RequestAuth } from '../auth/auth.hooks.js';
import { resolveLivePath } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { ensureUserSpace, type FilesDeps } from '../nodes/nodes.usecases.js';

/** What a WebDAV path names for the caller. */
export type DavTarget = {
  /** Whose tree the path is in; every write is made as this owner. */
  ownerId: string;
  /** Who is asking: the use cases check each node they touch against it (authorizeNode). */
  actor: Actor;
  names: string[];
  /** The root and every node found along the path, in order. */
  chain: NodeRow[];
  /** The node the path names, when it exists. */
  node: NodeRow | undefined;
  /** The node the path's last name would live in, when that exists (undefined for the root). */
  parent: NodeRow | undefined;
};

/**
 * Which tree a caller sees at `/dav/`, and so which nodes a path can reach: today the caller's
 * own files only, so another user's file is never found (404, exactly like a missing one).
 * Every handler resolves paths through here and nowhere else; the use cases it hands the
 * target to then check each node against the actor with the app-wide rule (authorizeNode).
 */
export const resolveDavTarget = async ({
  auth,
  names,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & {
  auth: Pick<RequestAuth, 'userId'>;
  names: string[];
}): Promise<DavTarget> => {
  const ownerId = auth.userId;
  let chain = await resolveLivePath(deps.db, { ownerId, names });
  if (chain.length === 0) {
    // A new account's root is made on first use, as the REST API does.
    await ensureUserSpace({ ...deps, ownerId });
    chain = await resolveLivePath(deps.db, { ownerId, names });
  }
  return {
    ownerId,
    actor: { kind: 'user', userId: auth.userId },
    names,
    chain,
    node: chain.length === names.length + 1 ? chain.at(-1) : undefined,
    parent: names.length > 0 && chain.length >= names.length ? chain[names.length - 1] : undefined,
  };
};
