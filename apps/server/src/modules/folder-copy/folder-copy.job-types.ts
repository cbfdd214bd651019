import { z } from 'zod';
import { defineJobType } from '../../job-queue/jobs.types.js';

/** What to copy is staged in `folder_copies`/`folder_copy_items` under the job's id. */
export const copyFolderJob = defineJobType(
  'folders.copy',
  z.object({ folderId: z.string(), targetFolderId: z.string() }),
  { maxAttempts: 5 },
);

export const recoverAbandonedFolderCopiesJob = defineJobType(
  'folders.copy-recover-abandoned',
  z.object({}),
);
