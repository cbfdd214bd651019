import { listLiveChildrenAfter } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { getStorageUsage } from '../usage/usage.repository.js';
import type { DavTarget } from './webdav.access.js';
import { hrefOf } from './webdav.paths.js';
import {
  needsDeadProperties,
  needsLockDiscovery,
  needsQuota,
  renderResponse,
  type PropContext,
  type PropRequest,
  type Quota,
} from './webdav.properties.js';
import { listDeadProperties } from './webdav.repository.js';
import { activeLockXml, locksCovering, rootHrefOn } from './webdav.locks.models.js';
import { listActiveLocksOn } from './webdav.locks.repository.js';
import { XML_DECLARATION } from './webdav.xml.js';

/** Children are read a page at a time, so a folder of any size answers in flat memory. */
const PAGE = 500;

const quotaOf = async ({ db, ownerId }: Pick<FilesDeps, 'db'> & { ownerId: string }) => {
  const usage = await getStorageUsage(db, { userId: ownerId });
  if (!usage) return undefined;
  const quota: Quota = {
    usedBytes: usage.used_bytes,
    availableBytes: Math.max(0, usage.quota_bytes - usage.used_bytes),
  };
  return quota;
};

/**
 * The 207 multistatus of a PROPFIND, as a sequence of text chunks: the node itself, then
 * (Depth: 1) each child, one database page at a time.
 */
export async function* propfindMultistatus({
  db,
  target,
  node,
  depth,
  request,
}: Pick<FilesDeps, 'db'> & {
  target: DavTarget;
  node: NodeRow;
  depth: 0 | 1;
  request: PropRequest;
}): AsyncGenerator<string> {
  const quota = needsQuota(request) ? await quotaOf({ db, ownerId: target.ownerId }) : undefined;
  const withDead = needsDeadProperties(request);
  const withLocks = needsLockDiscovery(request);
  // Locks on the path are read once; each page adds the locks rooted at its own nodes.
  const chainLocks = withLocks
    ? await listActiveLocksOn(db, { nodeIds: target.chain.map((each) => each.id) })
    : [];
  const contextsOf = async (nodes: NodeRow[]) => {
    const ids = nodes.map((each) => each.id);
    const dead = withDead ? await listDeadProperties(db, { nodeIds: ids }) : undefined;
    const below = ids.filter((id) => id !== node.id);
    const locks = withLocks
      ? [...chainLocks, ...(await listActiveLocksOn(db, { nodeIds: below }))]
      : [];
    return (each: NodeRow): PropContext => {
      const chain = each.id === node.id ? target.chain : [...target.chain, each];
      return {
        quota,
        dead: dead?.get(each.id) ?? [],
        lockDiscovery: locksCovering(chain, locks)
          .map((lock) => activeLockXml(lock, rootHrefOn(chain, lock)))
          .join(''),
      };
    };
  };
  // Hrefs use the stored names, so a client sees each name as it was created.
  const names = target.chain.slice(1).map((ancestor) => ancestor.name);
  yield `${XML_DECLARATION}<D:multistatus xmlns:D="DAV:">`;
  yield renderResponse(
    hrefOf(names, node.is_folder),
    node,
    request,
    (await contextsOf([node]))(node),
  );
  if (depth === 1 && node.is_folder) {
    let afterKey: string | null = null;
    for (;;) {
      const children = await listLiveChildrenAfter(db, {
        parentId: node.id,
        afterKey,
        limit: PAGE,
      });
      const contextOf = await contextsOf(children);
      yield children
        .map((child) =>
          renderResponse(
            hrefOf([...names, child.name], child.is_folder),
            child,
            request,
            contextOf(child),
          ),
        )
        .join('');
      if (children.length < PAGE) break;
      afterKey = children.at(-1)?.name_key ?? null;
    }
  }
  yield '</D:multistatus>';
}
