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

/** Where archived files go on this server, and so how long a restore takes (`GET /api/archive/tier`). */
export const archiveTierSchema = z
  .object({
    /** `disk`: a folder on this server's disk; `s3`: an S3 bucket (a Glacier storage class). */
    cold: z.enum(['disk', 's3']),
    /** `immediate`: back within seconds to minutes; `hours`: S3 Glacier takes hours. */
    restore: z.enum(['immediate', 'hours']),
  })
  .meta({ id: 'ArchiveTier' });
export type ArchiveTier = z.infer<typeof archiveTierSchema>;
