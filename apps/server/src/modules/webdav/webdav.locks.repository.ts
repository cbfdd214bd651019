import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DavLockDepth, DavLockScope } from './webdav.tables.js';

const active = sql<boolean>`expires_at > now()`;

/** The unexpired locks rooted at any of `nodeIds`. */
export const listActiveLocksOn = async (db: Db, { nodeIds }: { nodeIds: readonly string[] }) =>
  nodeIds.length === 0
    ? []
    : db
        .selectFrom('dav_locks')
        .selectAll()
        .where('node_id', 'in', [...nodeIds])
        .where(active)
        .orderBy('created_at')
        .execute();

/** Every unexpired lock in an owner's tree: few, since a lock lives minutes to hours. */
export const listActiveLocksInTree = (db: Db, { ownerId }: { ownerId: string }) =>
  db
    .selectFrom('dav_locks')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where(active)
    .orderBy('created_at')
    .execute();

export const getActiveLock = (db: Db, { token }: { token: string }) =>
  db
    .selectFrom('dav_locks')
    .selectAll()
    .where('token', '=', token)
    .where(active)
    .executeTakeFirst();

/**
 * Lock requests on one tree take turns (a transaction-scoped advisory lock on the owner), so two
 * instances cannot both grant an exclusive lock on the same resource.
 */
export const serializeLockingInTree = (db: Db, { ownerId }: { ownerId: string }) =>
  sql`select pg_advisory_xact_lock(hashtext(${`dav_locks:${ownerId}`}))`.execute(db);

export const deleteExpiredLocks = (db: Db, { ownerId }: { ownerId: string }) =>
  db
    .deleteFrom('dav_locks')
    .where('owner_id', '=', ownerId)
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();

export const insertLock = (
  db: Db,
  lock: {
    token: string;
    nodeId: string;
    ownerId: string;
    userId: string;
    scope: DavLockScope;
    depth: DavLockDepth;
    ownerXml: string;
    timeoutSeconds: number;
  },
) =>
  db
    .insertInto('dav_locks')
    .values({
      token: lock.token,
      node_id: lock.nodeId,
      owner_id: lock.ownerId,
      user_id: lock.userId,
      scope: lock.scope,
      depth: lock.depth,
      owner_xml: lock.ownerXml,
      timeout_seconds: lock.timeoutSeconds,
      expires_at: sql<Date>`now() + make_interval(secs => ${lock.timeoutSeconds})`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const refreshLock = (
  db: Db,
  { token, timeoutSeconds }: { token: string; timeoutSeconds: number },
) =>
  db
    .updateTable('dav_locks')
    .set({
      timeout_seconds: timeoutSeconds,
      expires_at: sql<Date>`now() + make_interval(secs => ${timeoutSeconds})`,
    })
    .where('token', '=', token)
    .where(active)
    .returningAll()
    .executeTakeFirst();

export const deleteLock = (db: Db, { token }: { token: string }) =>
  db.deleteFrom('dav_locks').where('token', '=', token).executeTakeFirst();

/** Locks belong to a URL, not to a node: a MOVE or DELETE ends the ones on what it took away. */
export const deleteLocks = async (db: Db, { tokens }: { tokens: readonly string[] }) => {
  if (tokens.length > 0)
    await db
      .deleteFrom('dav_locks')
      .where('token', 'in', [...tokens])
      .execute();
};
