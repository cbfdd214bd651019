import type { NodeDto } from '@myfile/contract';
import { jobPercent } from '../archive/job-progress.js';
import { useFolderJob } from '../archive/use-folder-job.js';
import { useTranslation } from '../i18n/i18n.js';

/** A row's storage state; a folder moving in a job this tab follows also shows how far it got. */
export const StorageBadge = ({ node }: { node: Pick<NodeDto, 'id' | 'storageState'> }) => {
  const { t } = useTranslation();
  const job = useFolderJob(node);
  const state = node.storageState;
  if (state === 'hot') return null;
  const percent = job ? jobPercent(job) : undefined;
  return (
    <span className={`badge badge-${state}`}>
      {t(`files.storage.${state}`)}
      {percent !== undefined && ` ${percent}%`}
    </span>
  );
};
