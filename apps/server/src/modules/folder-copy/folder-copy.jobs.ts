import { isAppError } from '../../app/app-error.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, PermanentJobError } from '../../job-queue/jobs.types.js';
import { createIdBatch, forEachLimited } from '../archive/archive.batching.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { copyFolderJob, recoverAbandonedFolderCopiesJob } from './folder-copy.job-types.js';
import {
  findAbandonedFolderCopies,
  getFolderCopy,
  listUncopiedFiles,
  markItemsCopied,
} from './folder-copy.repository.js';
import { abandonFolderCopy, commitFolderCopy } from './folder-copy.usecases.js';

export type FolderCopyJobDeps = Pick<
  FilesDeps,
  'db' | 'blobStorage' | 'events' | 'cache' | 'settings'
>;

const PROGRESS_EVERY_FILES = 20;
/** Store copies in flight at once: overlaps S3 round trips without crowding other work out. */
const COPY_CONCURRENCY = 4;

/**
 * Copies the staged files' blobs (a run after a crash skips the ones recorded as copied and
 * copies the others again: a store copy onto the same key is harmless), then commits the tree.
 * When no attempt is left the copy is undone, so there is never a half tree nor a held quota.
 */
export const createCopyFolderHandler = (deps: FolderCopyJobDeps) =>
  createJobHandler(copyFolderJob, async (_payload, context) => {
    const copy = await getFolderCopy(deps.db, { jobId: context.jobId });
    // Committed (or undone) by an earlier run that died before the queue heard of it.
    if (!copy) return { committed: true };
    try {
      const pending = await listUncopiedFiles(deps.db, { jobId: copy.job_id });
      const progress = {
        filesDone: copy.files - pending.length,
        filesTotal: copy.files,
        bytesDone: copy.bytes - pending.reduce((sum, item) => sum + item.size, 0),
        bytesTotal: copy.bytes,
      };
      await context.reportProgress(progress);
      const copied = createIdBatch((sourceIds) =>
        markItemsCopied(deps.db, { jobId: copy.job_id, sourceIds }),
      );
      try {
        await forEachLimited(
          pending,
          { limit: COPY_CONCURRENCY, signal: context.signal },
          async (item) => {
            if (!item.source_blob_key || !item.new_blob_key) return;
            await deps.blobStorage.copy({
              fromKey: item.source_blob_key,
              toKey: item.new_blob_key,
            });
            await copied.add(item.source_id);
            progress.filesDone += 1;
            progress.bytesDone += item.size;
            if (progress.filesDone % PROGRESS_EVERY_FILES === 0)
              await context.reportProgress(progress);
          },
        );
      } finally {
        await copied.flush();
      }
      await context.reportProgress(progress);
      const rows = await commitFolderCopy({ ...deps, copy });
      return {
        ...progress,
        folderId: rows.find((row) => row.parent_id === copy.target_folder_id)?.id,
      };
    } catch (error) {
      // A refusal (the target went away, its name was taken, the right to write was lost)
      // stays one on the next attempt.
      const final =
        error instanceof PermanentJobError ||
        isAppError(error) ||
        context.attempt >= copyFolderJob.maxAttempts;
      if (!final) throw error;
      await abandonFolderCopy({ ...deps, jobId: copy.job_id });
      throw new PermanentJobError(error instanceof Error ? error.message : String(error));
    }
  });

/** Undoes copies whose job died on its last attempt, before its own failure path could run. */
export const createRecoverAbandonedFolderCopiesHandler = (deps: FolderCopyJobDeps) =>
  createJobHandler(recoverAbandonedFolderCopiesJob, async () => {
    const abandoned = await findAbandonedFolderCopies(deps.db);
    for (const jobId of abandoned) await abandonFolderCopy({ ...deps, jobId });
    return { recovered: abandoned.length };
  });

export const folderCopySchedules: JobSchedule<object>[] = [
  {
    name: 'recover-abandoned-folder-copies',
    type: recoverAbandonedFolderCopiesJob,
    payload: {},
    intervalSeconds: 600,
  },
];
