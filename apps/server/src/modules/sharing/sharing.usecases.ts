import type { DomainEvent } from '@myfile/contract';
import { invalidRequest, notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../event-bus/event-bus.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { actorUserId, type Actor, type ShareRole } from '../access/access.models.js';
import { authorizeNode } from '../access/access.usecases.js';
import { findUserByEmail, findUserById } from '../auth/accounts/users.repository.js';
import { rateLimited } from '../auth/auth.errors.js';
import type { RateCounter } from '../../rate-counter/rate-counter.types.js';
import { sendMailJob } from '../mail/mail.jobs.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { pageByTime } from '../nodes/time-cursor.js';
import type { ShareRow } from '../access/access.tables.js';
import { shareEmailKey, shareMail } from './sharing.models.js';
import {
  claimPendingShares,
  deleteShare,
  getShareById,
  listSharedWith,
  listSharesOfNode,
  setShareRole,
  upsertShare,
} from './sharing.repository.js';

export type SharingDeps = {
  db: Db;
  events: EventBus;
  publicUrl: string;
  /** Counts share mails per sharer (SHARE_MAILS). */
  counters: RateCounter;
};

/**
 * Every share sends a mail, so sharing is a way to send mail to any address: capped per sharer.
 * Counted for every share alike, known address or not, so a 429 tells nothing about accounts.
 */
export const SHARE_MAILS = { max: 50, windowSeconds: 3600 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const shareEvent = (
  share: ShareRow,
  node: Pick<NodeRow, 'id' | 'parent_id' | 'name' | 'size' | 'is_folder' | 'content_type'>,
  change: 'added' | 'updated' | 'revoked',
): DomainEvent[] =>
  share.grantee_id
    ? [
        {
          type: 'share.changed',
          userId: share.grantee_id,
          at: new Date().toISOString(),
          change,
          role: share.role,
          node: {
            id: node.id,
            parentId: null,
            name: node.name,
            size: node.size,
            contentType: node.is_folder ? null : node.content_type,
          },
        },
      ]
    : [];

/**
 * Shares a node with a person by email; sharing again changes the role. The answer is the same
 * whether or not the address has an account (an unknown one gets an invitation and a pending
 * share), so nobody can use this to find out who has one.
 */
export const shareNode = async ({
  actor,
  id,
  email,
  role,
  ...deps
}: SharingDeps & { actor: Actor; id: string; email: string; role: ShareRole }) => {
  const { node } = await authorizeNode({ db: deps.db, actor, id, action: 'manage' });
  if (node.is_root)
    throw invalidRequest('Your root folder cannot be shared; share a folder in it.');
  const owner = await findUserById(deps.db, node.owner_id);
  if (!owner) throw notFound('No such file or folder.');
  const granteeEmail = shareEmailKey(email);
  if (granteeEmail === shareEmailKey(owner.email)) {
    throw invalidRequest('You cannot share an item with yourself.', 'email');
  }
  const sent = await deps.counters.hit(`share-mail:${node.owner_id}`, SHARE_MAILS.windowSeconds);
  if (sent.count > SHARE_MAILS.max) throw rateLimited(sent.retryAfterSeconds);
  const account = await findUserByEmail(deps.db, granteeEmail);
  // Only a verified address is somebody's: an unverified sign-up must not collect shares.
  const granteeId = account?.email_verified_at ? account.id : null;
  const share = await deps.db.transaction().execute(async (trx) => {
    const saved = await upsertShare(trx, {
      nodeId: node.id,
      ownerId: node.owner_id,
      granteeId,
      granteeEmail,
      role,
    });
    await enqueueJob(
      trx,
      sendMailJob,
      shareMail({
        to: account?.email ?? email.trim(),
        ownerEmail: owner.email,
        name: node.name,
        role,
        publicUrl: deps.publicUrl,
      }),
    );
    return saved;
  });
  for (const event of shareEvent(share, node, 'added')) deps.events.publish(event);
  return share;
};

/** Who has access to a node: for its owner only. */
export const listNodeShares = async ({
  actor,
  id,
  db,
}: Pick<SharingDeps, 'db'> & { actor: Actor; id: string }) => {
  const { node } = await authorizeNode({ db, actor, id, action: 'manage' });
  return listSharesOfNode(db, { nodeId: node.id });
};

/** A share is the node owner's to change: anybody else's id is not found. */
const authorizeShare = async ({ db, actor, id }: { db: Db; actor: Actor; id: string }) => {
  const share = UUID.test(id) ? await getShareById(db, { id }) : undefined;
  if (!share) throw notFound('No such share.');
  const { node } = await authorizeNode({ db, actor, id: share.node_id, action: 'manage' }).catch(
    (error: unknown) => {
      throw (error as { statusCode?: number }).statusCode === 404
        ? notFound('No such share.')
        : error;
    },
  );
  return { share, node };
};

export const changeShareRole = async ({
  actor,
  id,
  role,
  ...deps
}: SharingDeps & { actor: Actor; id: string; role: ShareRole }) => {
  const { node } = await authorizeShare({ db: deps.db, actor, id });
  const share = await setShareRole(deps.db, { id, role });
  for (const event of shareEvent(share, node, 'updated')) deps.events.publish(event);
  return share;
};

/** Takes effect on the grantee's next request: every lookup resolves the role afresh. */
export const revokeShare = async ({
  actor,
  id,
  ...deps
}: SharingDeps & { actor: Actor; id: string }) => {
  const { share, node } = await authorizeShare({ db: deps.db, actor, id });
  await deleteShare(deps.db, { id });
  for (const event of shareEvent(share, node, 'revoked')) deps.events.publish(event);
};

/** "Shared with me": a virtual folder of every live item shared with the user, a page at a time. */
export const listSharedWithMe = async ({
  db,
  actor,
  cursor,
  limit,
}: Pick<SharingDeps, 'db'> & {
  actor: Actor;
  cursor?: string | undefined;
  limit: number;
}) => {
  const userId = actorUserId(actor);
  if (!userId) throw notFound();
  const me = await findUserById(db, userId);
  if (me?.email_verified_at) {
    await claimPendingShares(db, { userId, email: shareEmailKey(me.email) });
  }
  return pageByTime({
    cursor,
    limit,
    fetch: (after, rows) => listSharedWith(db, { userId, after, limit: rows }),
    positionOf: (row) => ({ at: row.shared_exact, id: row.share_id }),
  });
};
