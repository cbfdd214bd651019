import type { EventBus } from '../../event-bus/event-bus.js';
import {
  createJobHandler,
  JobSnooze,
  PermanentJobError,
  type JobContext,
} from '../../job-queue/jobs.types.js';
import {
  archiveFolderJob,
  recoverAbandonedArchiveJobsJob,
  restoreFolderJob,
} from './archive.job-types.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import type { Db } from '../../db/database.js';
import { createIdBatch, forEachLimited } from './archive.batching.js';
import { getNodeById } from '../nodes/nodes.repository.js';
import {
  findAbandonedFolderJobs,
  listSubtreeFiles,
  listSubtreeVersions,
  markRestoreRequested,
  setFilesState,
} from './archive.repository.js';
import { failArchive, failRestore, finishArchive, finishRestore } from './archive.outcomes.js';
import { archiveFile, blobsOfFile, restoreFile, type TransferDeps } from './archive.transfers.js';
import type { NotificationOutbox } from '../notifications/notifications.jobs.js';

export type ArchiveJobDeps = TransferDeps & {
  db: Db;
  events: EventBus;
  /** SNS notifications of outcomes, when NOTIFY_SNS_TOPIC_ARN is set. */
  notifications?: NotificationOutbox;
  /** How long a restore waits between two looks at the cold tier. */
  restorePollSeconds: number;
};

const PROGRESS_EVERY_FILES = 20;
/** Transfers in flight at once: enough to overlap fsyncs and S3 round trips, few enough to stay polite. */
const TRANSFER_CONCURRENCY = 4;

const getFolderForJob = async ({ folderId, ...deps }: ArchiveJobDeps & { folderId: string }) => {
  const folder = await getNodeById(deps.db, { id: folderId });
  if (!folder || folder.trashed_at) throw new PermanentJobError('The folder no longer exists.');
  return folder;
};

/** The attempt's error, and whether no later attempt will run. */
const finalFailure = (error: unknown, context: JobContext, maxAttempts: number) => ({
  message: error instanceof Error ? error.message : String(error),
  final: error instanceof PermanentJobError || context.attempt >= maxAttempts,
});

/**
 * Files already archived by an earlier run are counted as done and skipped. When no attempt
 * is left, the archive is rolled back (see failArchive) rather than left half done.
 */
export const createArchiveFolderHandler = (deps: ArchiveJobDeps) =>
  createJobHandler(archiveFolderJob, async ({ folderId }, context) => {
    const folder = await getFolderForJob({ ...deps, folderId });
    try {
      const files = await listSubtreeFiles(deps.db, { id: folderId });
      const versions = await listSubtreeVersions(deps.db, { id: folderId });
      const progress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: 0 };
      for (const file of files) progress.bytesTotal += file.size;
      const archived = createIdBatch((ids) =>
        setFilesState(deps.db, { ids, from: 'archiving', to: 'archived' }),
      );
      try {
        await forEachLimited(
          files,
          { limit: TRANSFER_CONCURRENCY, signal: context.signal },
          async (file) => {
            if (file.storage_state === 'archiving') {
              await archiveFile({ ...deps, blobs: blobsOfFile(file, versions.get(file.id) ?? []) });
              await archived.add(file.id);
            }
            progress.filesDone += 1;
            progress.bytesDone += file.size;
            if (progress.filesDone % PROGRESS_EVERY_FILES === 0)
              await context.reportProgress(progress);
          },
        );
      } finally {
        await archived.flush();
      }
      await context.reportProgress(progress);
      await finishArchive({ ...deps, folder, jobId: context.jobId });
      return progress;
    } catch (error) {
      const { message, final } = finalFailure(error, context, archiveFolderJob.maxAttempts);
      if (!final) throw error;
      await failArchive({ ...deps, folder, jobId: context.jobId, error: message });
      throw new PermanentJobError(message);
    }
  });

export const createRestoreFolderHandler = (deps: ArchiveJobDeps) =>
  createJobHandler(restoreFolderJob, async ({ folderId, tier }, context) => {
    const folder = await getFolderForJob({ ...deps, folderId });
    try {
      if (folder.storage_state === 'hot') return { restored: true };
      if (folder.storage_state !== 'restoring')
        throw new PermanentJobError(folder.archive_error ?? 'The restore did not finish.');
      const files = await listSubtreeFiles(deps.db, { id: folderId });
      const versions = await listSubtreeVersions(deps.db, { id: folderId });
      const progress = { filesDone: 0, filesPending: 0, filesTotal: files.length, bytesDone: 0 };
      const restored = createIdBatch((ids) =>
        setFilesState(deps.db, { ids, from: 'restoring', to: 'hot' }),
      );
      const requested = createIdBatch((ids) => markRestoreRequested(deps.db, { ids }));
      try {
        await forEachLimited(
          files,
          { limit: TRANSFER_CONCURRENCY, signal: context.signal },
          async (file) => {
            const outcome =
              file.storage_state === 'restoring'
                ? await restoreFile({
                    ...deps,
                    file,
                    blobs: blobsOfFile(file, versions.get(file.id) ?? []),
                    tier,
                  })
                : { kind: 'done' as const };
            if (outcome.kind === 'failed') throw new PermanentJobError(outcome.error);
            if (outcome.kind === 'pending') {
              progress.filesPending += 1;
              if (outcome.justRequested) await requested.add(file.id);
              return;
            }
            if (file.storage_state === 'restoring') await restored.add(file.id);
            progress.filesDone += 1;
            progress.bytesDone += file.size;
          },
        );
      } finally {
        await restored.flush();
        await requested.flush();
      }
      await context.reportProgress(progress);
      if (progress.filesPending > 0) throw new JobSnooze(deps.restorePollSeconds);
      await finishRestore({ ...deps, folder, jobId: context.jobId });
      return progress;
    } catch (error) {
      if (error instanceof JobSnooze) throw error;
      const { message, final } = finalFailure(error, context, restoreFolderJob.maxAttempts);
      if (!final) throw error;
      await failRestore({ ...deps, folder, jobId: context.jobId, error: message });
      throw new PermanentJobError(message);
    }
  });

/**
 * Runs the failure path a job could not run itself because its worker died on the last
 * attempt, so no folder stays read-only in `archiving` or `restoring` for ever.
 */
export const createRecoverAbandonedArchiveJobsHandler = (deps: ArchiveJobDeps) =>
  createJobHandler(recoverAbandonedArchiveJobsJob, async () => {
    const abandoned = await findAbandonedFolderJobs(deps.db);
    for (const { job_id: jobId, job_name: jobName, folder_id: folderId, error } of abandoned) {
      const folder = await getNodeById(deps.db, { id: folderId });
      if (!folder) continue;
      if (jobName === archiveFolderJob.name) await failArchive({ ...deps, folder, jobId, error });
      else await failRestore({ ...deps, folder, jobId, error });
    }
    return { recovered: abandoned.length };
  });

export const archiveSchedules: JobSchedule<object>[] = [
  {
    name: 'recover-abandoned-archive-jobs',
    type: recoverAbandonedArchiveJobsJob,
    payload: {},
    intervalSeconds: 600,
  },
];
