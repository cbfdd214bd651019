import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import {
  archiveFolder,
  jobQueryKey,
  restoreFolder,
  type JobView,
  type RestoreTier,
} from './archive-api.js';
import { trackFolderJob } from './folder-jobs.js';

/** Starts an archive or a restore and lets every view follow its job from the first moment. */
export const useArchiveActions = () => {
  const queryClient = useQueryClient();
  return useMemo(() => {
    const follow = (folderId: string, job: JobView) => {
      queryClient.setQueryData(jobQueryKey(job.id), job);
      trackFolderJob(folderId, job.id);
      void queryClient.invalidateQueries({ queryKey: ['folder'] });
      void queryClient.invalidateQueries({ queryKey: ['children'] });
    };
    return {
      archive: async (folderId: string) => follow(folderId, (await archiveFolder(folderId)).job),
      restore: async (folderId: string, tier: RestoreTier) =>
        follow(folderId, (await restoreFolder(folderId, tier)).job),
    };
  }, [queryClient]);
};
