import { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { getAncestors, getNodeById } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';
import type { DavTarget } from './webdav.access.js';
import { conflict, davError, locked, preconditionFailed } from './webdav.errors.js';
import {
  evaluateIf,
  parseIfHeader,
  submittedTokens,
  type IfList,
  type IfResourceState,
} from './webdav.if-header.js';
import { conflictsWith, locksCovering, newLockToken, rootHrefOn } from './webdav.locks.models.js';
import {
  deleteExpiredLocks,
  deleteLock,
  getActiveLock,
  insertLock,
  listActiveLocksInTree,
  listActiveLocksOn,
  refreshLock,
  serializeLockingInTree,
} from './webdav.locks.repository.js';
import { hrefOf } from './webdav.paths.js';
import { davEtagOf } from './webdav.properties.js';
import type { DavLockDepth, DavLockRow, DavLockScope } from './webdav.tables.js';

/** The lock side of one request: who asks, and what its If header says. */
export type LockRequest = {
  userId: string;
  lists: IfList[] | undefined;
  /** The lock tokens the request submits (RFC 4918 §10.4.1). */
  submitted: ReadonlySet<string>;
};

export const readLockRequest = (userId: string, ifHeader: string | undefined): LockRequest => {
  const lists = ifHeader === undefined ? undefined : parseIfHeader(ifHeader);
  return { userId, lists, submitted: lists ? submittedTokens(lists) : new Set() };
};

const idsOf = (chain: readonly NodeRow[]) => chain.map((node) => node.id);

/** The chain of the folder a new name at `target` would go in, when that folder exists. */
const parentChainOf = (target: DavTarget) => {
  const chain = target.node ? target.chain.slice(0, -1) : target.chain;
  return target.names.length > 0 && chain.length === target.names.length ? chain : undefined;
};

/** What the If header's conditions are judged against at `target`. */
const ifStateOf = async (
  db: Db,
  userId: string,
  target: DavTarget | undefined,
): Promise<IfResourceState> => {
  const chain = target?.node ? target.chain : target && parentChainOf(target);
  if (!target || !chain) return { etag: undefined, lockTokens: new Set() };
  const locks = await listActiveLocksOn(db, { nodeIds: idsOf(chain) });
  // Nothing exists at a new name: only locks inherited from above can cover it.
  const covering = target.node
    ? locksCovering(chain, locks)
    : locks.filter((lock) => lock.depth === 'infinity');
  return {
    etag: target.node && davEtagOf(target.node),
    lockTokens: new Set(
      covering.filter((lock) => lock.user_id === userId).map((lock) => lock.token),
    ),
  };
};

/**
 * The If header as a precondition (RFC 4918 §10.4): no list true → 412. Tagged lists are judged
 * against the resource they name, which `resolveTag` finds (undefined: not on this server).
 */
export const checkIfHeader = async ({
  db,
  lockRequest,
  target,
  resolveTag,
}: {
  db: Db;
  lockRequest: LockRequest;
  target: DavTarget;
  resolveTag: (tag: string) => Promise<DavTarget | undefined>;
}) => {
  const { lists, userId } = lockRequest;
  if (!lists) return;
  const states = new Map<string | undefined, IfResourceState>();
  for (const tag of new Set(lists.map((list) => list.resource))) {
    const resource = tag === undefined ? target : await resolveTag(tag);
    states.set(tag, await ifStateOf(db, userId, resource));
  }
  const empty: IfResourceState = { etag: undefined, lockTokens: new Set() };
  if (!evaluateIf(lists, (tag) => states.get(tag) ?? empty)) {
    throw preconditionFailed('No list of the If header matched.');
  }
};

/** The live locks rooted strictly below `folder`, each with its root's href. */
const locksBelow = async (db: Db, { folder }: { folder: NodeRow }) => {
  const below: { lock: DavLockRow; href: string }[] = [];
  for (const lock of await listActiveLocksInTree(db, { ownerId: folder.owner_id })) {
    if (lock.node_id === folder.id) continue;
    const node = await getNodeById(db, { id: lock.node_id });
    if (!node || node.trashed_at) continue;
    const ancestors = await getAncestors(db, { id: node.id });
    if (!folder.is_root && !ancestors.some((ancestor) => ancestor.id === folder.id)) continue;
    below.push({
      lock,
      href: hrefOf([...ancestors.map((ancestor) => ancestor.name), node.name], node.is_folder),
    });
  }
  return below;
};

/**
 * What a request does at a path: `write` changes the resource there, `create` adds a member to
 * its folder, `remove` takes the resource (and everything below it) out of its folder.
 */
export type DavChange = { target: DavTarget; change: 'write' | 'create' | 'remove' };

/**
 * A write lock (RFC 4918 §7) lets only the holder of its token change what it covers: the
 * locked resource, the membership of a locked folder and, at Depth infinity, everything
 * below it. Each locked thing a request touches needs one of its locks' tokens, submitted in
 * the If header by the user who took the lock; else 423. Returns the tokens of the locks on
 * what the request removes, which end with it.
 */
export const ensureLockTokensSubmitted = async ({
  db,
  lockRequest,
  changes,
}: {
  db: Db;
  lockRequest: LockRequest;
  changes: readonly DavChange[];
}) => {
  const chains = changes.flatMap(({ target }) => target.chain);
  const locks = await listActiveLocksOn(db, { nodeIds: idsOf(chains) });
  const guards: { locks: DavLockRow[]; href: (lock: DavLockRow) => string }[] = [];
  const ending: string[] = [];
  for (const { target, change } of changes) {
    const node = target.node;
    if (node && change !== 'create') {
      guards.push({
        locks: locksCovering(target.chain, locks),
        href: (lock) => rootHrefOn(target.chain, lock),
      });
    }
    const parentChain = parentChainOf(target);
    if (change !== 'write' && parentChain) {
      guards.push({
        locks: locksCovering(parentChain, locks),
        href: (lock) => rootHrefOn(parentChain, lock),
      });
    }
    if (change === 'remove' && node) {
      ending.push(...locks.filter((lock) => lock.node_id === node.id).map((lock) => lock.token));
      if (node.is_folder) {
        for (const { lock, href } of await locksBelow(db, { folder: node })) {
          guards.push({ locks: [lock], href: () => href });
          ending.push(lock.token);
        }
      }
    }
  }
  const holds = (lock: DavLockRow) =>
    lock.user_id === lockRequest.userId && lockRequest.submitted.has(lock.token);
  const blocked = guards.filter((guard) => guard.locks.length > 0 && !guard.locks.some(holds));
  if (blocked.length > 0) {
    const hrefs = new Set(blocked.flatMap((guard) => guard.locks.map(guard.href)));
    throw locked(
      'The resource is locked, and this request did not submit the lock token.',
      'lock-token-submitted',
      [...hrefs],
    );
  }
  return ending;
};

/** The locks a new lock at `chain`'s end would conflict with (RFC 4918 §6.1, §9.10.5). */
const conflictingLocks = async (
  db: Db,
  { chain, scope, depth }: { chain: NodeRow[]; scope: DavLockScope; depth: DavLockDepth },
) => {
  const node = chain.at(-1);
  const covering = locksCovering(chain, await listActiveLocksOn(db, { nodeIds: idsOf(chain) }));
  const found = covering
    .filter((lock) => conflictsWith(scope, lock))
    .map((lock) => rootHrefOn(chain, lock));
  if (node?.is_folder && depth === 'infinity') {
    for (const { lock, href } of await locksBelow(db, { folder: node })) {
      if (conflictsWith(scope, lock)) found.push(href);
    }
  }
  return found;
};

const noConflictingLock = (hrefs: string[]) =>
  locked('The resource is already locked.', 'no-conflicting-lock', hrefs);

/**
 * LOCK (RFC 4918 §9.10): a new exclusive or shared write lock on the resource at `target`,
 * granted only when it conflicts with no lock there, above (depth infinity) or, for a
 * depth-infinity lock, below. Locking a name where nothing exists creates an empty file there
 * (a "locked empty resource", §7.3). Granting is serialised per tree, in the database.
 */
export const lockResource = async ({
  target,
  lockRequest,
  scope,
  depth,
  ownerXml,
  timeoutSeconds,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  target: DavTarget;
  lockRequest: LockRequest;
  scope: DavLockScope;
  depth: DavLockDepth;
  ownerXml: string;
  timeoutSeconds: number;
}) => {
  const { db } = deps;
  let chain = target.chain;
  let created = false;
  if (!target.node) {
    const parentChain = parentChainOf(target);
    const parent = parentChain?.at(-1);
    if (!parentChain || !parent?.is_folder) throw conflict('The parent folder does not exist.');
    await ensureLockTokensSubmitted({ db, lockRequest, changes: [{ target, change: 'create' }] });
    const inherited = (await listActiveLocksOn(db, { nodeIds: idsOf(parentChain) })).filter(
      (lock) => lock.depth === 'infinity' && conflictsWith(scope, lock),
    );
    if (inherited.length > 0) {
      throw noConflictingLock(inherited.map((lock) => rootHrefOn(parentChain, lock)));
    }
    const file = await uploadFile({
      ...deps,
      actor: target.actor,
      folderId: parent.id,
      name: target.names.at(-1) ?? '',
      onConflict: 'fail',
      body: Readable.from([]),
      declaredSize: 0,
    });
    chain = [...parentChain, file];
    created = true;
  }
  const lock = await db.transaction().execute(async (trx) => {
    await serializeLockingInTree(trx, { ownerId: target.ownerId });
    await deleteExpiredLocks(trx, { ownerId: target.ownerId });
    const conflicting = await conflictingLocks(trx, { chain, scope, depth });
    if (conflicting.length > 0) throw noConflictingLock(conflicting);
    const node = chain.at(-1);
    if (!node) throw conflict('Nothing to lock.');
    return insertLock(trx, {
      token: newLockToken(),
      nodeId: node.id,
      ownerId: target.ownerId,
      userId: lockRequest.userId,
      scope,
      depth,
      ownerXml,
      timeoutSeconds,
    });
  });
  return { lock, rootHref: rootHrefOn(chain, lock), created };
};

/**
 * A LOCK without a body refreshes the caller's locks named in its If header that cover the
 * resource (§9.10.2), directly or from a folder above.
 */
export const refreshLocks = async ({
  db,
  target,
  lockRequest,
  timeoutSeconds,
}: {
  db: Db;
  target: DavTarget;
  lockRequest: LockRequest;
  timeoutSeconds: number;
}) => {
  const mine = target.node
    ? locksCovering(
        target.chain,
        await listActiveLocksOn(db, { nodeIds: idsOf(target.chain) }),
      ).filter(
        (lock) => lock.user_id === lockRequest.userId && lockRequest.submitted.has(lock.token),
      )
    : [];
  if (mine.length === 0) {
    throw davError(
      412,
      'precondition_failed',
      'A lock refresh names, in its If header, a lock of yours on this resource.',
      'lock-token-matches-request-uri',
    );
  }
  const refreshed: { lock: DavLockRow; rootHref: string }[] = [];
  for (const lock of mine) {
    const row = await refreshLock(db, { token: lock.token, timeoutSeconds });
    if (row) refreshed.push({ lock: row, rootHref: rootHrefOn(target.chain, row) });
  }
  return refreshed;
};

/** UNLOCK (§9.11): the caller's lock named by Lock-Token, which must cover the request URI. */
export const unlockResource = async ({
  db,
  target,
  lockRequest,
  token,
}: {
  db: Db;
  target: DavTarget;
  lockRequest: LockRequest;
  token: string;
}) => {
  const lock = await getActiveLock(db, { token });
  const covers =
    lock !== undefined &&
    lock.user_id === lockRequest.userId &&
    target.node !== undefined &&
    locksCovering(target.chain, [lock]).length > 0;
  if (!lock || !covers) {
    throw davError(
      409,
      'conflict',
      'No lock of yours with this token covers this resource.',
      'lock-token-matches-request-uri',
    );
  }
  await deleteLock(db, { token });
};
