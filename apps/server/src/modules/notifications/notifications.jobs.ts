import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import type { Db } from '../../db/database.js';
import { archiveNotificationSchema, type ArchiveNotification } from './notifications.models.js';
import type { Notifier } from './notifications.sns.js';

/**
 * Queued in the transaction that records the outcome, so a notification is published (at
 * least once, retried with backoff) exactly when the outcome happened.
 */
export const publishNotificationJob = defineJobType(
  'notification.publish',
  archiveNotificationSchema,
  { maxAttempts: 8 },
);

/** Queues a notification when a topic is configured; does nothing otherwise. */
export type NotificationOutbox = {
  enqueue(db: Db, notification: ArchiveNotification): Promise<void>;
};

export const createNotificationOutbox = ({
  enabled,
}: {
  enabled: boolean;
}): NotificationOutbox => ({
  enqueue: async (db, notification) => {
    if (enabled) await enqueueJob(db, publishNotificationJob, notification);
  },
});

export const createPublishNotificationHandler = ({ notifier }: { notifier: Notifier }) =>
  createJobHandler(publishNotificationJob, (notification) => notifier.publish(notification));
