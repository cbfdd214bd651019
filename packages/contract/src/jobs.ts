import { z } from 'zod';
import { count, timestamp, uuid } from './formats.js';

/** A job a user started (archive, restore…), as `GET /api/jobs/:id` and the archive routes answer. */
export const jobViewSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    attempts: count(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    finishedAt: timestamp().nullable(),
  })
  .meta({ id: 'Job' });
