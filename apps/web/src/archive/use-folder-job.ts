import type { StorageState } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLiveStatus } from '../events/live-status.js';
import { fetchJob, isFinished, jobQueryKey } from './archive-api.js';
import { useTrackedJobId } from './folder-jobs.js';

const POLL_MS = 2_000;

export const isMoving = (state: StorageState) => state === 'archiving' || state === 'restoring';

/**
 * The job archiving or restoring a folder, kept current by `job.updated` events (which write
 * straight into the cache) or, while the socket is down, by polling `GET /api/jobs/:id`.
 */
export const useFolderJob = (
  folder: { id: string; storageState: StorageState },
  serverJobId?: string | null,
) => {
  const tracked = useTrackedJobId(folder.id);
  const jobId = isMoving(folder.storageState) ? (tracked ?? serverJobId ?? undefined) : undefined;
  const live = useLiveStatus() === 'live';
  const queryClient = useQueryClient();
  const { data: job } = useQuery({
    queryKey: jobQueryKey(jobId ?? ''),
    queryFn: () => fetchJob(jobId ?? ''),
    enabled: jobId !== undefined,
    staleTime: live ? Infinity : 0,
    refetchInterval: (query) =>
      !live && query.state.data && !isFinished(query.state.data) ? POLL_MS : false,
  });
  const finished = job !== undefined && isFinished(job);
  useEffect(() => {
    // With the socket down, no event says the folder changed state: look again ourselves.
    if (!finished || live) return;
    void queryClient.invalidateQueries({ queryKey: ['folder'] });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
  }, [finished, live, queryClient]);
  return job;
};
