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
import { listDeadProperties, listPropfindChildren } from './webdav.repository.js';
import { activeLockXml, locksCovering, rootHrefOn } from './webdav.locks.models.js';
import { listActiveLocksInTree } from './webdav.locks.repository.js';
import type { DavLockRow } from './webdav.tables.js';
import { XML_DECLARATION } from './webdav.xml.js';

/** Children are read a page at a time, so a folder of any size answers in flat memory. */
const PAGE = 1000;

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
 * The lockdiscovery of a folder's members, from the tree's active locks (few: a lock lives
 * minutes to hours), read once per request rather than once per page: what covers every member
 * (depth-infinity locks on the folder or above it) is rendered once, and a member adds only the
 * locks rooted at itself.
 */
const memberLockDiscovery = (chain: readonly NodeRow[], locks: readonly DavLockRow[]) => {
  const onChain = new Set(chain.map((each) => each.id));
  const inherited = locks
    .filter((lock) => lock.depth === 'infinity' && onChain.has(lock.node_id))
    .map((lock) => activeLockXml(lock, rootHrefOn(chain, lock)))
    .join('');
  const rootedAt = new Map<string, DavLockRow[]>();
  for (const lock of locks) {
    if (onChain.has(lock.node_id)) continue;
    rootedAt.set(lock.node_id, [...(rootedAt.get(lock.node_id) ?? []), lock]);
  }
  return (member: Pick<NodeRow, 'id' | 'name' | 'is_folder'>) => {
    const own = rootedAt.get(member.id);
    if (!own) return inherited;
    const memberChain = [...chain, member];
    return (
      inherited + own.map((lock) => activeLockXml(lock, rootHrefOn(memberChain, lock))).join('')
    );
  };
};

/**
 * The 207 multistatus of a PROPFIND, as a sequence of text chunks: the node itself, then
 * (Depth: 1) each child, one database page (one statement, dead properties included) at a time.
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
  const locks = needsLockDiscovery(request)
    ? await listActiveLocksInTree(db, { ownerId: target.ownerId })
    : [];
  // Hrefs use the stored names, so a client sees each name as it was created.
  const names = target.chain.slice(1).map((ancestor) => ancestor.name);
  const self: PropContext = {
    quota,
    dead: withDead
      ? ((await listDeadProperties(db, { nodeIds: [node.id] })).get(node.id) ?? [])
      : [],
    lockDiscovery: locksCovering(target.chain, locks)
      .map((lock) => activeLockXml(lock, rootHrefOn(target.chain, lock)))
      .join(''),
  };
  yield `${XML_DECLARATION}<D:multistatus xmlns:D="DAV:">`;
  yield renderResponse(hrefOf(names, node.is_folder), node, request, self);
  if (depth === 1 && node.is_folder) {
    const lockDiscoveryOf = memberLockDiscovery(target.chain, locks);
    let afterKey: string | null = null;
    for (;;) {
      const children = await listPropfindChildren(db, {
        parentId: node.id,
        afterKey,
        limit: PAGE,
        withDead,
      });
      let chunk = '';
      for (const child of children) {
        chunk += renderResponse(hrefOf([...names, child.name], child.is_folder), child, request, {
          quota,
          dead: child.dead,
          lockDiscovery: lockDiscoveryOf(child),
        });
      }
      yield chunk;
      if (children.length < PAGE) break;
      afterKey = children.at(-1)?.name_key ?? null;
    }
  }
  yield '</D:multistatus>';
}
