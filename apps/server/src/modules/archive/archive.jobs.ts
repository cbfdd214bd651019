import { z } from 'zod';
import type { EventBus } from '../../events/event-bus.js';
import {
  createJobHandler,
  defineJobType,
  JobSnooze,
  PermanentJobError,
} from '../../jobs/jobs.types.js';
import { getNodeById } from '../nodes/nodes.repository.js';
import { listSubtreeFiles } from './archive.repository.js';
import { finishArchive, failRestore, finishRestore } from './archive.outcomes.js';
import { archiveFile, restoreFile, type TransferDeps } from './archive.transfers.js';

export const archiveFolderJob = defineJobType(
  'archive.folder',
  z.object({ folderId: z.string() }),
  { maxAttempts: 5, leaseSeconds: 300 },
);

export const restoreFolderJob = defineJobType(
  'archive.restore-folder',
  z.object({ folderId: z.string(), tier: z.enum(['expedited', 'standard', 'bulk']) }),
  { maxAttempts: 5, leaseSeconds: 300 },
);

export type ArchiveJobDeps = TransferDeps & {
  events: EventBus;
  /** How long a restore waits between two looks at the cold tier. */
  restorePollSeconds: number;
};

const PROGRESS_EVERY_FILES = 20;

const getFolderForJob = async (deps: ArchiveJobDeps, folderId: string) => {
  const folder = await getNodeById(deps.db, { id: folderId });
  if (!folder || folder.trashed_at) throw new PermanentJobError('The folder no longer exists.');
  return folder;
};

/** Files already archived by an earlier run are counted as done and skipped. */
export const createArchiveFolderHandler = (deps: ArchiveJobDeps) =>
  createJobHandler(archiveFolderJob, async ({ folderId }, context) => {
    const folder = await getFolderForJob(deps, folderId);
    const files = await listSubtreeFiles(deps.db, { id: folderId });
    const progress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: 0 };
    for (const file of files) progress.bytesTotal += file.size;
    for (const file of files) {
      context.signal.throwIfAborted();
      if (file.storage_state === 'archiving') await archiveFile(deps, file);
      progress.filesDone += 1;
      progress.bytesDone += file.size;
      if (progress.filesDone % PROGRESS_EVERY_FILES === 0) await context.reportProgress(progress);
    }
    await context.reportProgress(progress);
    await finishArchive(deps, { folder, jobId: context.jobId });
    return progress;
  });

export const createRestoreFolderHandler = (deps: ArchiveJobDeps) =>
  createJobHandler(restoreFolderJob, async ({ folderId, tier }, context) => {
    const folder = await getFolderForJob(deps, folderId);
    try {
      if (folder.storage_state === 'hot') return { restored: true };
      if (folder.storage_state !== 'restoring')
        throw new PermanentJobError(folder.archive_error ?? 'The restore did not finish.');
      const files = await listSubtreeFiles(deps.db, { id: folderId });
      const progress = { filesDone: 0, filesPending: 0, filesTotal: files.length, bytesDone: 0 };
      for (const file of files) {
        context.signal.throwIfAborted();
        const outcome =
          file.storage_state === 'restoring'
            ? await restoreFile(deps, { file, tier })
            : { kind: 'done' as const };
        if (outcome.kind === 'failed') throw new PermanentJobError(outcome.error);
        if (outcome.kind === 'pending') progress.filesPending += 1;
        else {
          progress.filesDone += 1;
          progress.bytesDone += file.size;
        }
      }
      await context.reportProgress(progress);
      if (progress.filesPending > 0) throw new JobSnooze(deps.restorePollSeconds);
      await finishRestore(deps, { folder, jobId: context.jobId });
      return progress;
    } catch (error) {
      if (error instanceof JobSnooze) throw error;
      const lastAttempt = context.attempt >= restoreFolderJob.maxAttempts;
      if (!(error instanceof PermanentJobError) && !lastAttempt) throw error;
      const message = error instanceof Error ? error.message : String(error);
      await failRestore(deps, { folder, jobId: context.jobId, error: message });
      throw new PermanentJobError(message);
    }
  });
