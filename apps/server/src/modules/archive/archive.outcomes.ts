import type { DomainEvent } from '@myfile/contract';
import type { EventBus } from '../../event-bus/event-bus.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import type { Db } from '../../db/database.js';
import { findUserById } from '../auth/accounts/users.repository.js';
import { sendMailJob } from '../mail/mail.jobs.js';
import { restoreFolderJob } from './archive.job-types.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { setArchiveError, setFolderStateIf, setSubtreeState } from './archive.repository.js';
import type { NotificationOutbox } from '../notifications/notifications.jobs.js';
import type { ArchiveNotification } from '../notifications/notifications.models.js';

type OutcomeDeps = {
  db: Db;
  events: EventBus;
  /** SNS notifications (NOTIFY_SNS_TOPIC_ARN), queued with the outcome. */
  notifications?: NotificationOutbox;
};

/** Queued in the outcome's transaction, so it is sent once the outcome is committed. */
const notify = async (
  { db, notifications }: Pick<OutcomeDeps, 'notifications'> & { db: Db },
  folder: NodeRow,
  type: ArchiveNotification['type'],
  { jobId, error = null }: { jobId: string; error?: string | null },
) =>
  notifications?.enqueue(db, {
    type,
    userId: folder.owner_id,
    folder: { id: folder.id, name: folder.name },
    jobId,
    error,
    at: new Date().toISOString(),
  });

const toArchiveEvent = (
  folder: NodeRow,
  type: 'folder.archived' | 'folder.unarchived' | 'folder.restore_failed' | 'folder.archive_failed',
  { jobId, error = null }: { jobId: string; error?: string | null },
): DomainEvent => ({
  type,
  userId: folder.owner_id,
  at: new Date().toISOString(),
  jobId,
  error,
  folder: {
    id: folder.id,
    parentId: folder.parent_id,
    name: folder.name,
    size: folder.size,
    contentType: null,
  },
});

const enqueueOwnerMail = async ({
  db: trx,
  ownerId,
  subject,
  text,
}: { db: Db } & { ownerId: string; subject: string; text: string }) => {
  const owner = await findUserById(trx, ownerId);
  if (owner) await enqueueJob(trx, sendMailJob, { to: owner.email, subject, text });
};

/**
 * Each outcome changes the folder only from the state the job expects, so a run repeated
 * after a crash sends no second mail or event.
 */
export const finishArchive = async ({
  db,
  events,
  notifications,
  folder,
  jobId,
}: OutcomeDeps & { folder: NodeRow; jobId: string }) => {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setFolderStateIf(trx, {
      id: folder.id,
      from: 'archiving',
      to: 'archived',
    });
    await setSubtreeState(trx, { id: folder.id, from: 'archiving', to: 'archived' });
    if (updated) await notify({ db: trx, notifications }, updated, 'archive.completed', { jobId });
    return updated;
  });
  if (changed) events.publish(toArchiveEvent(changed, 'folder.archived', { jobId }));
};

export const finishRestore = async ({
  db,
  events,
  notifications,
  folder,
  jobId,
}: OutcomeDeps & { folder: NodeRow; jobId: string }) => {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setFolderStateIf(trx, { id: folder.id, from: 'restoring', to: 'hot' });
    await setSubtreeState(trx, { id: folder.id, from: 'restoring', to: 'hot' });
    if (updated) {
      await enqueueOwnerMail({
        db: trx,
        ownerId: folder.owner_id,
        subject: `"${folder.name}" is restored`,
        text: `Your folder "${folder.name}" is back from the archive: its files can be downloaded and changed again.`,
      });
      await notify({ db: trx, notifications }, updated, 'restore.completed', { jobId });
    }
    return updated;
  });
  if (changed) events.publish(toArchiveEvent(changed, 'folder.unarchived', { jobId }));
};

/** A failed restore leaves the folder archived (listable, read-only) with the reason on it. */
export const failRestore = async ({
  db,
  events,
  notifications,
  folder,
  jobId,
  error,
}: OutcomeDeps & { folder: NodeRow; jobId: string; error: string }) => {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setFolderStateIf(trx, {
      id: folder.id,
      from: 'restoring',
      to: 'archived',
    });
    await setSubtreeState(trx, { id: folder.id, from: 'restoring', to: 'archived' });
    if (updated) {
      await setArchiveError(trx, { id: folder.id, error });
      await enqueueOwnerMail({
        db: trx,
        ownerId: folder.owner_id,
        subject: `The restore of "${folder.name}" failed`,
        text: `Your folder "${folder.name}" could not be restored and stays archived: ${error} You can ask for a restore again.`,
      });
      await notify({ db: trx, notifications }, updated, 'restore.failed', { jobId, error });
    }
    return updated;
  });
  if (changed) events.publish(toArchiveEvent(changed, 'folder.restore_failed', { jobId, error }));
};

/**
 * A failed archive does not leave the folder read-only for good: the whole subtree goes
 * `restoring` and a restore job brings back what already moved (files that never left the
 * hot tier finish at once), after which the folder is hot and writable again. The reason
 * stays on the folder for the owner to see.
 */
export const failArchive = async ({
  db,
  events,
  notifications,
  folder,
  jobId,
  error,
}: OutcomeDeps & { folder: NodeRow; jobId: string; error: string }) => {
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await setFolderStateIf(trx, {
      id: folder.id,
      from: 'archiving',
      to: 'restoring',
    });
    if (updated) {
      await setSubtreeState(trx, { id: folder.id, from: 'archiving', to: 'restoring' });
      await setSubtreeState(trx, { id: folder.id, from: 'archived', to: 'restoring' });
      await setArchiveError(trx, { id: folder.id, error });
      await enqueueJob(
        trx,
        restoreFolderJob,
        { folderId: folder.id, tier: 'standard' },
        { ownerId: folder.owner_id },
      );
      await enqueueOwnerMail({
        db: trx,
        ownerId: folder.owner_id,
        subject: `The archive of "${folder.name}" failed`,
        text: `Your folder "${folder.name}" could not be archived: ${error} Its files are being brought back; it will be writable again once they are.`,
      });
      await notify({ db: trx, notifications }, updated, 'archive.failed', { jobId, error });
    }
    return updated;
  });
  if (changed) events.publish(toArchiveEvent(changed, 'folder.archive_failed', { jobId, error }));
};
