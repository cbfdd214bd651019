import { uuidv7 } from 'uuidv7';
import { notFound } from '../../app/app-error.js';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { toJobView } from '../../job-queue/jobs.models.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { getJobById } from '../../job-queue/jobs.repository.js';
import { actorUserId, userActor, type Actor } from '../access/access.models.js';
import { nameConflict, quotaExceeded } from '../nodes/nodes.errors.js';
import { ensureNodeIsWritable, toNameKey, toNodeEvent, toSortKey } from '../nodes/nodes.models.js';
import { findLiveChildByName, isSameOrDescendant } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import {
  getFolderOrThrow,
  getNodeOrThrow,
  pickFreeName,
  publishAll,
  rethrowQuotaExceededFor,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { enqueueTextExtraction } from '../search/search.extract-job.js';
import { enqueueThumbnailIfPending } from '../thumbnails/thumbnails.jobs.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import { copyOfArchivedFolder, copyIntoItself, copyOfRoot } from './folder-copy.errors.js';
import { copyFolderJob } from './folder-copy.job-types.js';
import {
  chargeReservedCopy,
  deleteFolderCopyRow,
  dropFolderCopy,
  insertFolderCopy,
  insertNodesFromItems,
  listStagedBlobKeys,
  listSubtreeForCopy,
  reserveCopyWithinQuota,
} from './folder-copy.repository.js';
import type { FolderCopyConflict, FolderCopyRow } from './folder-copy.tables.js';

type CopyDeps = Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'>;

/**
 * Starts a copy of a folder tree into `targetFolderId`. Everything is decided here, in the
 * transaction that queues the job: what will be copied (a snapshot of the tree), new ids and
 * blob keys, and the whole tree's bytes held against the target owner's quota. The job only
 * copies blobs and then makes the tree visible at once; nothing exists before that.
 */
export const requestFolderCopy = async ({
  actor,
  id,
  targetFolderId,
  onConflict,
  ...deps
}: CopyDeps & {
  actor: Actor;
  id: string;
  targetFolderId: string;
  onConflict: FolderCopyConflict;
}) => {
  const requesterId = actorUserId(actor);
  if (!requesterId) throw notFound('No such folder.');
  const source = await getFolderOrThrow({ ...deps, actor, id, action: 'read' });
  if (source.is_root) throw copyOfRoot();
  const target = await getFolderOrThrow({ ...deps, actor, id: targetFolderId, action: 'upload' });
  ensureNodeIsWritable(target);
  if (await isSameOrDescendant(deps.db, { folderId: source.id, candidateId: target.id }))
    throw copyIntoItself();
  if (
    onConflict === 'fail' &&
    (await findLiveChildByName(deps.db, {
      ownerId: target.owner_id,
      parentId: target.id,
      name: source.name,
    }))
  )
    throw nameConflict(source.name);
  const jobId = await deps.db.transaction().execute(async (trx) => {
    // Read inside the transaction that reserves, so the bytes held are the bytes staged.
    const tree = await listSubtreeForCopy(trx, { id: source.id });
    if (tree.some((node) => node.storage_state !== 'hot' || (!node.is_folder && !node.blob_key)))
      throw copyOfArchivedFolder();
    const files = tree.filter((node) => !node.is_folder);
    const bytes = files.reduce((sum, file) => sum + file.size, 0);
    if (!(await reserveCopyWithinQuota(trx, { userId: target.owner_id, bytes })))
      rethrowQuotaExceededFor({ actor, folderOwnerId: target.owner_id, write: 'copy' })(
        quotaExceeded(),
      );
    const job = await enqueueJob(
      trx,
      copyFolderJob,
      { folderId: source.id, targetFolderId: target.id },
      { ownerId: requesterId },
    );
    await insertFolderCopy(trx, {
      copy: {
        job_id: job.id,
        requester_id: requesterId,
        quota_user_id: target.owner_id,
        target_folder_id: target.id,
        on_conflict: onConflict,
        bytes,
        files: files.length,
      },
      items: tree.map((node) => ({
        job_id: job.id,
        source_id: node.id,
        new_id: uuidv7(),
        source_parent_id: node.id === source.id ? null : node.parent_id,
        depth: node.depth,
        is_folder: node.is_folder,
        name: node.name,
        name_key: node.name_key,
        sort_key: node.sort_key,
        size: node.size,
        content_type: node.content_type,
        sha256: node.sha256,
        source_blob_key: node.blob_key,
        new_blob_key: node.is_folder ? null : createBlobKey(),
        thumbnail_state: node.is_folder
          ? null
          : initialThumbnailState(deps.settings.thumbnails, {
              contentType: node.content_type,
              size: node.size,
            }),
      })),
    });
    return job.id;
  });
  const job = await getJobById(deps.db, { id: jobId });
  if (!job) throw new Error(`Job ${jobId} vanished right after it was queued.`);
  return toJobView(job);
};

/**
 * The one commit that makes the whole copy visible: every node, the usage, the thumbnail and
 * text jobs, and the staging rows gone, together. The requester must still be allowed to write
 * into the target, which must still be there and hot.
 */
export const commitFolderCopy = async ({
  copy,
  ...deps
}: CopyDeps & { copy: FolderCopyRow }): Promise<NodeRow[]> => {
  const rows = await deps.db.transaction().execute(async (trx) => {
    const target = await getNodeOrThrow({
      db: trx,
      actor: userActor(copy.requester_id),
      id: copy.target_folder_id,
      action: 'upload',
    });
    ensureNodeIsWritable(target);
    const top = await trx
      .selectFrom('folder_copy_items')
      .select('name')
      .where('job_id', '=', copy.job_id)
      .where('source_parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const name =
      copy.on_conflict === 'rename'
        ? await pickFreeName({ db: trx, parentId: target.id, name: top.name })
        : top.name;
    if (
      copy.on_conflict === 'fail' &&
      (await findLiveChildByName(trx, { ownerId: target.owner_id, parentId: target.id, name }))
    )
      throw nameConflict(name);
    const inserted = await insertNodesFromItems(trx, {
      jobId: copy.job_id,
      ownerId: target.owner_id,
      targetFolderId: target.id,
      top: { name, nameKey: toNameKey(name), sortKey: toSortKey(name) },
      now: new Date(),
    });
    await chargeReservedCopy(trx, {
      userId: copy.quota_user_id,
      bytes: copy.bytes,
      files: copy.files,
    });
    for (const row of inserted) {
      if (row.is_folder) continue;
      await enqueueThumbnailIfPending({ db: trx, file: row });
      await enqueueTextExtraction({
        db: trx,
        file: row,
        settings: { maxBytes: deps.settings.contentSearchMaxBytes },
      });
    }
    await deleteFolderCopyRow(trx, { jobId: copy.job_id });
    return inserted;
  });
  await publishAll({ ...deps, list: rows.map((row) => toNodeEvent(row, 'created')) });
  return rows;
};

/**
 * Undoes a copy that will not finish: its blobs (copied or not yet, a missing one is no
 * error), then its staging rows and reservation. Blobs first: should this stop half way, the
 * rows still name the rest for the next try.
 */
export const abandonFolderCopy = async ({
  jobId,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage'> & { jobId: string }) => {
  for (const key of await listStagedBlobKeys(deps.db, { jobId }))
    await deps.blobStorage.delete({ key });
  await dropFolderCopy(deps.db, { jobId });
};
