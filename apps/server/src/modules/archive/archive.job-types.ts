import { z } from 'zod';
import { defineJobType } from '../../job-queue/jobs.types.js';

export const archiveFolderJob = defineJobType(
  'archive.folder',
  z.object({ folderId: z.string() }),
  { maxAttempts: 5 },
);

export const restoreFolderJob = defineJobType(
  'archive.restore-folder',
  z.object({ folderId: z.string(), tier: z.enum(['expedited', 'standard', 'bulk']) }),
  { maxAttempts: 5 },
);

export const recoverAbandonedArchiveJobsJob = defineJobType(
  'archive.recover-abandoned',
  z.object({}),
);
