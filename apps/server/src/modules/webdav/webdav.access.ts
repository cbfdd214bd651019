import type { RequestAuth } from '../auth/auth.hooks.js';
import { resolveLivePath } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { ensureUserSpace, type FilesDeps } from '../nodes/nodes.usecases.js';

/** What a WebDAV path names for the caller. */
export type DavTarget = {
  /** Whose tree the path is in; every write is made as this owner. */
  ownerId: string;
  names: string[];
  /** The root and every node found along the path, in order. */
  chain: NodeRow[];
  /** The node the path names, when it exists. */
  node: NodeRow | undefined;
  /** The node the path's last name would live in, when that exists (undefined for the root). */
  parent: NodeRow | undefined;
};

/**
 * The one authorization rule of the WebDAV tree: which tree a caller sees at `/dav/`, and so
 * which nodes a path can reach. Today that is the caller's own files only, so another user's
 * file is never found (404, exactly like a missing one). Every handler resolves paths through
 * here and nowhere else, so a sharing rule replaces this function alone.
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
    names,
    chain,
    node: chain.length === names.length + 1 ? chain.at(-1) : undefined,
    parent: names.length > 0 && chain.length >= names.length ? chain[names.length - 1] : undefined,
  };
};
