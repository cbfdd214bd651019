import type { RestoreTier } from '../../archive-storage/archive-storage.types.js';
import { toJobView } from '../../job-queue/jobs.models.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { getJobById } from '../../job-queue/jobs.repository.js';
import { folderArchived } from '../nodes/nodes.errors.js';
import {
  ensureSubtreeIsWritable,
  getFolderOrThrow,
  getNodeOrThrow,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { folderNotArchived, rootCannotBeArchived } from './archive.errors.js';
import { archiveFolderJob, restoreFolderJob } from './archive.job-types.js';
import {
  findActiveFolderJobId,
  findArchivedTop,
  setArchiveError,
  setFolderStateIf,
  setSubtreeState,
} from './archive.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import type { Actor } from '../access/access.models.js';

type ArchiveRequestDeps = Pick<FilesDeps, 'db' | 'settings'>;

const jobViewOf = async ({ id, ...deps }: ArchiveRequestDeps & { id: string }) => {
  const job = await getJobById(deps.db, { id });
  if (!job) throw new Error(`Job ${id} vanished right after it was queued.`);
  return toJobView(job);
};

/**
 * The whole subtree turns read-only in the same transaction that queues the job, so there is
 * never an archive job without a read-only folder, nor the other way round.
 */
export const requestFolderArchive = async ({
  actor,
  id,
  ...deps
}: ArchiveRequestDeps & { actor: Actor; id: string }) => {
  const folder = await getFolderOrThrow({ ...deps, actor, id, action: 'manage' });
  if (folder.is_root) throw rootCannotBeArchived();
  const ownerId = folder.owner_id;
  const jobId = await deps.db.transaction().execute(async (trx) => {
    await ensureSubtreeIsWritable({
      db: trx,
      node: await getNodeOrThrow({ db: trx, actor, id: folder.id, action: 'manage' }),
    });
    // Conditional on 'hot': of two concurrent requests, the second finds it taken.
    if (!(await setFolderStateIf(trx, { id: folder.id, from: 'hot', to: 'archiving' })))
      throw folderArchived();
    await setSubtreeState(trx, { id: folder.id, from: 'hot', to: 'archiving' });
    await setArchiveError(trx, { id: folder.id, error: null });
    const job = await enqueueJob(trx, archiveFolderJob, { folderId: folder.id }, { ownerId });
    return job.id;
  });
  return jobViewOf({ ...deps, id: jobId });
};

export const requestFolderRestore = async ({
  actor,
  id,
  tier,
  ...deps
}: ArchiveRequestDeps & { actor: Actor; id: string; tier: RestoreTier }) => {
  const asked = await getFolderOrThrow({ ...deps, actor, id, action: 'manage' });
  const ownerId = asked.owner_id;
  // Restoring a folder inside an archived one restores the archived one: a hot island in a
  // read-only subtree would break the rule that an archive request covers everything below it.
  const folder =
    asked.storage_state === 'archived'
      ? await getFolderOrThrow({
          ...deps,
          actor,
          action: 'manage',
          id: await findArchivedTop(deps.db, { id: asked.id }),
        })
      : asked;
  const jobId = await deps.db.transaction().execute(async (trx) => {
    if (!(await setFolderStateIf(trx, { id: folder.id, from: 'archived', to: 'restoring' })))
      throw folderNotArchived();
    await setSubtreeState(trx, { id: folder.id, from: 'archived', to: 'restoring' });
    await setArchiveError(trx, { id: folder.id, error: null });
    const job = await enqueueJob(trx, restoreFolderJob, { folderId: folder.id, tier }, { ownerId });
    return job.id;
  });
  return jobViewOf({ ...deps, id: jobId });
};

/**
 * What a folder page shows beside the state: why the last restore failed, and the job moving
 * the folder now, so a page opened mid-way can follow its progress.
 */
export const getFolderArchiveStatus = async ({
  folder,
  ...deps
}: Pick<FilesDeps, 'db'> & {
  folder: Pick<NodeRow, 'id' | 'owner_id' | 'storage_state' | 'archive_error'>;
}) => ({
  archiveError: folder.archive_error,
  archiveJobId:
    folder.storage_state === 'archiving' || folder.storage_state === 'restoring'
      ? await findActiveFolderJobId(deps.db, {
          ownerId: folder.owner_id,
          folderId: folder.id,
          jobNames: [archiveFolderJob.name, restoreFolderJob.name],
        })
      : null,
});
