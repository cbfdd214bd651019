import type { DomainEvent } from '@myfile/contract';
import type { JobRow } from './jobs.tables.js';

/** The public view of a job: what `GET /api/jobs/:id` answers and `job.updated` carries. */
export const toJobView = (job: JobRow) => ({
  id: job.id,
  name: job.name,
  status: job.status,
  progress: (job.progress ?? null) as Record<string, unknown> | null,
  error: job.status === 'failed' || job.status === 'queued' ? job.last_error : null,
  attempts: job.attempts,
  createdAt: job.created_at.toISOString(),
  updatedAt: job.updated_at.toISOString(),
  finishedAt: job.finished_at?.toISOString() ?? null,
});

/** Only jobs a user started are announced, and only to that user. */
export const toJobUpdatedEvent = (job: JobRow): DomainEvent | undefined =>
  job.owner_id
    ? {
        type: 'job.updated',
        userId: job.owner_id,
        at: new Date().toISOString(),
        job: {
          id: job.id,
          name: job.name,
          status: job.status,
          progress: (job.progress ?? null) as Record<string, unknown> | null,
          error: job.status === 'failed' || job.status === 'queued' ? job.last_error : null,
        },
      }
    : undefined;
