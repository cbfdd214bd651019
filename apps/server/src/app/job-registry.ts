import type { AppContext } from './app-context.js';
import { authSchedules, createPruneAuthDataHandler } from '../modules/auth/auth.housekeeping.js';
import { createSendAuthLinkHandler } from '../modules/auth/links/links.jobs.js';
import { createPasswordResetRequestHandler } from '../modules/auth/passwords/passwords.jobs.js';
import {
  archiveSchedules,
  createArchiveFolderHandler,
  createRecoverAbandonedArchiveJobsHandler,
  createRestoreFolderHandler,
  type ArchiveJobDeps,
} from '../modules/archive/archive.jobs.js';
import { restorePollSecondsOf } from '../modules/archive/archive.config.js';
import { createDeleteAccountHandler } from '../modules/account/account.jobs.js';
import { createSendMailHandler } from '../modules/mail/mail.jobs.js';
import { createMailer } from '../modules/mail/mail.transport.js';
import {
  createNotificationOutbox,
  createPublishNotificationHandler,
} from '../modules/notifications/notifications.jobs.js';
import { createSnsNotifier } from '../modules/notifications/notifications.sns.js';
import {
  createPruneFinishedJobsHandler,
  housekeepingSchedules,
} from '../job-queue/jobs.housekeeping.js';
import { ensureJobSchedule, type JobSchedule } from '../job-queue/jobs.queue.js';
import type { JobHandler } from '../job-queue/jobs.types.js';
import { createSweepOrphanBlobsHandler, filesSchedules } from '../modules/files/files.jobs.js';
import { createSweepStagingHandler, stagingSchedules } from '../modules/files/files.staging.js';
import {
  createDeleteBlobsHandler,
  createPurgeExpiredTrashHandler,
  trashSchedules,
} from '../modules/trash/trash.jobs.js';
import {
  createExpireTusUploadsHandler,
  uploadsSchedules,
} from '../modules/uploads/uploads.jobs.js';
import { createTusDataStore } from '../modules/uploads/uploads.tus.js';
import { createResealLinkTokensHandler, linksSchedules } from '../modules/links/links.jobs.js';
import { thumbnailSettingsOf, toFilesDeps } from '../modules/nodes/nodes.usecases.js';
import {
  createCopyFolderHandler,
  createRecoverAbandonedFolderCopiesHandler,
  folderCopySchedules,
} from '../modules/folder-copy/folder-copy.jobs.js';
import { createRenderThumbnailHandler } from '../modules/thumbnails/thumbnails.jobs.js';
import { createExtractTextHandler } from '../modules/search/search.extract-job.js';
import {
  createApplyVersionRetentionHandler,
  versionsSchedules,
} from '../modules/versions/versions.jobs.js';

/** Every job this product runs; modules add theirs here. */
export const createJobHandlers = async (context: AppContext): Promise<JobHandler[]> => {
  const mailer = createMailer({ config: context.config, logger: context.logger });
  const topicArn = context.config.NOTIFY_SNS_TOPIC_ARN;
  const archiveDeps: ArchiveJobDeps = {
    notifications: createNotificationOutbox({ enabled: topicArn !== undefined }),
    db: context.database.db,
    blobStorage: context.blobStorage,
    archiveStorage: context.archiveStorage,
    events: context.events,
    restorePollSeconds: restorePollSecondsOf({
      configured: context.config.ARCHIVE_RESTORE_POLL_SECONDS,
      coldDriver: context.archiveStorage.driverName,
    }),
  };
  const filesDeps = toFilesDeps(context);
  return [
    createArchiveFolderHandler(archiveDeps),
    createRestoreFolderHandler(archiveDeps),
    createRecoverAbandonedArchiveJobsHandler(archiveDeps),
    createCopyFolderHandler(filesDeps),
    createRecoverAbandonedFolderCopiesHandler(filesDeps),
    createPruneFinishedJobsHandler({ db: context.database.db }),
    createPruneAuthDataHandler({ db: context.database.db }),
    createSendMailHandler({ mailer }),
    createSendAuthLinkHandler({
      mailer,
      ring: () => context.keys.current(),
      publicUrl: context.config.PUBLIC_URL,
    }),
    createPasswordResetRequestHandler({
      db: context.database.db,
      mailer,
      ring: () => context.keys.current(),
      publicUrl: context.config.PUBLIC_URL,
    }),
    createDeleteBlobsHandler({ blobStorage: context.blobStorage }),
    createDeleteAccountHandler({
      db: context.database.db,
      blobStorage: context.blobStorage,
      archiveStorage: context.archiveStorage,
    }),
    createPurgeExpiredTrashHandler({
      db: context.database.db,
      cache: context.cache,
      events: context.events,
      trashRetentionDays: context.config.TRASH_RETENTION_DAYS,
    }),
    createSweepOrphanBlobsHandler({ db: context.database.db, blobStorage: context.blobStorage }),
    createApplyVersionRetentionHandler({
      db: context.database.db,
      cache: context.cache,
      keep: context.config.VERSIONS_KEEP,
    }),
    createSweepStagingHandler({
      blobStorage: context.blobStorage,
      archiveStorage: context.archiveStorage,
    }),
    createRenderThumbnailHandler({
      db: context.database.db,
      blobStorage: context.blobStorage,
      events: context.events,
      settings: thumbnailSettingsOf(context),
    }),
    createExtractTextHandler({
      db: context.database.db,
      blobStorage: context.blobStorage,
      settings: {
        maxBytes: context.config.CONTENT_SEARCH_MAX_BYTES,
        language: context.config.SEARCH_LANGUAGE,
      },
    }),
    createExpireTusUploadsHandler({
      db: context.database.db,
      datastore: await createTusDataStore(context.config),
    }),
    createResealLinkTokensHandler({
      db: context.database.db,
      ring: () => context.keys.current(),
    }),
    ...(topicArn === undefined
      ? []
      : [createPublishNotificationHandler({ notifier: createSnsNotifier({ topicArn }) })]),
  ];
};

const schedules: JobSchedule<object>[] = [
  ...housekeepingSchedules,
  ...archiveSchedules,
  ...folderCopySchedules,
  ...authSchedules,
  ...trashSchedules,
  ...filesSchedules,
  ...stagingSchedules,
  ...uploadsSchedules,
  ...linksSchedules,
  ...versionsSchedules,
];

export const ensureJobSchedules = async (context: AppContext) => {
  for (const schedule of schedules) await ensureJobSchedule(context.database.db, schedule);
};
