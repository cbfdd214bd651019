import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../db/database.js';
import type { ShareRole } from '../access/access.models.js';
import { exactTime, type TimeCursor } from '../nodes/time-cursor.js';

/** One share per (node, address): sharing again changes the role. */
export const upsertShare = (
  db: Db,
  share: {
    nodeId: string;
    ownerId: string;
    granteeId: string | null;
    granteeEmail: string;
    role: ShareRole;
  },
) => {
  const now = new Date();
  return db
    .insertInto('shares')
    .values({
      id: uuidv7(),
      node_id: share.nodeId,
      owner_id: share.ownerId,
      grantee_id: share.granteeId,
      grantee_email: share.granteeEmail,
      role: share.role,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['node_id', 'grantee_email']).doUpdateSet({ role: share.role, updated_at: now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
};

export const listSharesOfNode = (db: Db, { nodeId }: { nodeId: string }) =>
  db
    .selectFrom('shares')
    .selectAll()
    .where('node_id', '=', nodeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const getShareById = (db: Db, { id }: { id: string }) =>
  db.selectFrom('shares').selectAll().where('id', '=', id).executeTakeFirst();

export const setShareRole = (db: Db, { id, role }: { id: string; role: ShareRole }) =>
  db
    .updateTable('shares')
    .set({ role, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const deleteShare = (db: Db, { id }: { id: string }) =>
  db.deleteFrom('shares').where('id', '=', id).execute();

/** Pending shares to this (verified) address become the account's. */
export const claimPendingShares = (db: Db, { userId, email }: { userId: string; email: string }) =>
  db
    .updateTable('shares')
    .set({ grantee_id: userId })
    .where('grantee_id', 'is', null)
    .where('grantee_email', '=', email)
    .where('owner_id', '<>', userId)
    .execute();

/** Live items shared with this user, newest share first, with who shared them. */
export const listSharedWith = (
  db: Db,
  { userId, after, limit }: { userId: string; after?: TimeCursor | undefined; limit: number },
) =>
  db
    .selectFrom('shares')
    .innerJoin('nodes', 'nodes.id', 'shares.node_id')
    .innerJoin('users', 'users.id', 'shares.owner_id')
    .selectAll('nodes')
    .select([
      'shares.id as share_id',
      'shares.role as share_role',
      'shares.created_at as shared_at',
      exactTime('shares.created_at').as('shared_exact'),
      'users.email as shared_by',
    ])
    .where('shares.grantee_id', '=', userId)
    .where('nodes.trashed_at', 'is', null)
    .$if(after !== undefined, (qb) =>
      qb.where(
        sql<boolean>`(shares.created_at, shares.id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid)`,
      ),
    )
    .orderBy('shares.created_at', 'desc')
    .orderBy('shares.id', 'desc')
    .limit(limit)
    .execute();
