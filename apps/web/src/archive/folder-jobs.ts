import { createExternalStore } from '../ui/external-store.js';

/**
 * Which job is moving which folder, for jobs this tab started: `job.updated` events name the
 * job but not its folder, so rows look their progress up here.
 */
const jobByFolder = createExternalStore<ReadonlyMap<string, string>>(new Map());

export const trackFolderJob = (folderId: string, jobId: string) =>
  jobByFolder.set(new Map(jobByFolder.get()).set(folderId, jobId));

export const useTrackedJobId = (folderId: string): string | undefined =>
  jobByFolder.useSelect((jobs) => jobs.get(folderId));
