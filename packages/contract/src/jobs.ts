import { z } from 'zod';

/** A job a user started (archive, restore…), as `GET /api/jobs/:id` and the archive routes answer. */
export const jobViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
