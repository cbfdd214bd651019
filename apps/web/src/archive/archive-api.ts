import type { ArchiveTier, DomainEvent } from '@myfile/contract';
import { api } from '../api/http.js';

/** What a job tells the page: the same shape `job.updated` events carry. */
export type JobView = Extract<DomainEvent, { type: 'job.updated' }>['job'];

export const restoreTiers = ['expedited', 'standard', 'bulk'] as const;
export type RestoreTier = (typeof restoreTiers)[number];

const folderPath = (id: string) => `/api/folders/${encodeURIComponent(id)}`;

export const archiveFolder = (id: string) =>
  api<{ job: JobView }>(`${folderPath(id)}/archive`, { method: 'POST' });

export const restoreFolder = (id: string, tier: RestoreTier) =>
  api<{ job: JobView }>(`${folderPath(id)}/restore`, { method: 'POST', body: { tier } });

export const fetchJob = async (id: string) =>
  (await api<{ job: JobView }>(`/api/jobs/${encodeURIComponent(id)}`)).job;

export const jobQueryKey = (id: string) => ['job', id] as const;

export const isFinished = (job: Pick<JobView, 'status'>) =>
  job.status === 'done' || job.status === 'failed';

/** This server's cold tier, which decides how archive and restore times are worded. */
export const fetchArchiveTier = () => api<ArchiveTier>('/api/archive/tier');
