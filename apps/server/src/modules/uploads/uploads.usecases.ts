import type { Readable } from 'node:stream';
import type { DomainEvent } from '@myfile/contract';
import { isBlobTooLargeError } from '../../blob-storage/blob-storage.errors.js';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import type { Db } from '../../db/database.js';
import { sniffContentType } from '../files/files.sniffing.js';
import { nameConflict, quotaExceeded, uploadTooLarge } from '../nodes/nodes.errors.js';
import { ensureNodeIsWritable, normalizeName, toNodeEvent } from '../nodes/nodes.models.js';
import { findLiveChildByName, replaceFileContent } from '../nodes/nodes.repository.js';
import type { NodeRow, ThumbnailState } from '../nodes/nodes.tables.js';
import {
  createFileRow,
  getFolderWithUsageOrThrow,
  getNodeOrThrow,
  publishAll,
  rethrowNameConflict,
  rethrowQuotaExceededFor,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { enqueueThumbnailIfPending } from '../thumbnails/thumbnails.jobs.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import { enqueueBlobDeletion } from '../trash/trash.jobs.js';
import { addUsageWithinQuota } from '../usage/usage.repository.js';
import type { OnConflict } from './uploads.models.js';
import { quotaHolderOf, userActor, type Actor } from '../access/access.models.js';
import { deleteTusUpload, getTusUpload } from './uploads.repository.js';

type StoredBlob = { key: string; size: number; sha256: string; contentType: string };

/** Checks that can fail before a single byte is stored. */
export const prepareUpload = async ({
  actor,
  folderId,
  name: rawName,
  onConflict,
  declaredSize,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & {
  actor: Actor;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  declaredSize?: number;
}) => {
  const name = normalizeName(rawName, 'filename');
  const folder = await getFolderWithUsageOrThrow({
    ...deps,
    actor,
    id: folderId,
    action: 'upload',
  });
  ensureNodeIsWritable(folder);
  const existing =
    onConflict === 'rename'
      ? undefined
      : await findLiveChildByName(deps.db, { ownerId: folder.owner_id, parentId: folder.id, name });
  if (onConflict === 'fail' && existing) throw nameConflict(name);
  // A replace frees the old content as it lands, so only the difference has to fit. The commit
  // checks the difference again against the file as it is then.
  const replacedBytes = onConflict === 'replace' && existing?.blob_key ? existing.size : 0;
  const remaining = Math.max(
    0,
    folder.quota_bytes - folder.used_bytes - folder.reserved_bytes + replacedBytes,
  );
  if (declaredSize !== undefined) {
    if (declaredSize > deps.settings.maxUploadBytes)
      throw uploadTooLarge(deps.settings.maxUploadBytes);
    if (declaredSize > remaining) throw quotaExceeded(quotaHolderOf(actor, folder.owner_id));
  }
  return { name, folder, remaining, replacedBytes };
};

/**
 * Multipart upload of one file: streamed into the store (size and SHA-256 computed on the way,
 * the limit enforced as soon as it is crossed), then the row in one transaction. Whatever fails,
 * the blob is removed again; the orphan sweep covers a process that dies in between.
 */
export const uploadFile = async ({
  actor,
  folderId,
  name: rawName,
  onConflict,
  body,
  declaredSize,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  body: Readable;
  /** A Content-Length known up front: too large a body is refused before a byte is read. */
  declaredSize?: number | undefined;
}): Promise<NodeRow> => {
  const { name, folder, remaining } = await prepareUpload({
    ...deps,
    actor,
    folderId,
    name: rawName,
    onConflict,
    ...(declaredSize !== undefined ? { declaredSize } : {}),
  });
  const { maxUploadBytes } = deps.settings;
  const limit = Math.min(maxUploadBytes, remaining);
  const { contentType, stream } = await sniffContentType(body);
  const key = createBlobKey();
  let stored: { size: number; sha256: string };
  try {
    stored = await deps.blobStorage.put({ key, body: stream, contentType, maxBytes: limit });
  } catch (error) {
    if (isBlobTooLargeError(error))
      throw limit < maxUploadBytes
        ? quotaExceeded(quotaHolderOf(actor, folder.owner_id))
        : uploadTooLarge(maxUploadBytes);
    throw error;
  }
  return commitStoredBlob({
    ...deps,
    ownerId: folder.owner_id,
    folderId: folder.id,
    name,
    onConflict,
    blob: { key, contentType, ...stored },
  }).catch(
    // Raced past the streaming check: the same answer, naming the same quota.
    rethrowQuotaExceededFor({ actor, folderOwnerId: folder.owner_id }),
  );
};

/** Which file a stored blob becomes; `ownerId` is the folder's owner, whoever uploads. */
type FileWrite = {
  ownerId: string;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  blob: StoredBlob;
};

/** Creates (or replaces) the file row for a blob already in the store; deletes the blob on failure. */
export const commitStoredBlob = async ({
  ownerId,
  folderId,
  name,
  onConflict,
  blob,
  beforeWrite,
  inTransaction,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'settings' | 'cache'> &
  FileWrite & {
    /** Runs first in the same transaction, e.g. to claim a resumable upload's completion. */
    beforeWrite?: (trx: Db) => Promise<void>;
    /** Runs last in the same transaction, e.g. to record which file the upload became. */
    inTransaction?: (trx: Db, file: NodeRow) => Promise<void>;
  }): Promise<NodeRow> => {
  const target: FileWrite = { ownerId, folderId, name, onConflict, blob };
  const thumbnailState = initialThumbnailState(deps.settings.thumbnails, blob);
  const write = async (db: Db) => {
    await beforeWrite?.(db);
    const result = await writeFileRow({ db, ...target, thumbnailState });
    await enqueueThumbnailIfPending({ db, file: result.file });
    await inTransaction?.(db, result.file);
    return result;
  };
  // A new file with nothing written alongside is one atomic statement (see `createFileRow`):
  // a transaction would only add two round trips to the commonest write there is.
  const alone =
    onConflict !== 'replace' && thumbnailState !== 'pending' && !inTransaction && !beforeWrite;
  try {
    const { file, event } = await (
      alone ? write(deps.db) : deps.db.transaction().execute(write)
    ).catch(rethrowNameConflict(name));
    await publishAll({ ...deps, list: [event] });
    return file;
  } catch (error) {
    await deps.blobStorage.delete({ key: blob.key }).catch(() => undefined);
    throw error;
  }
};

const writeFileRow = async ({
  db,
  ownerId,
  folderId,
  name,
  onConflict,
  blob,
  thumbnailState,
}: { db: Db } & FileWrite & { thumbnailState: ThumbnailState }): Promise<{
  file: NodeRow;
  event: DomainEvent;
}> => {
  const existing =
    onConflict === 'replace'
      ? await findLiveChildByName(db, { ownerId, parentId: folderId, name })
      : undefined;
  if (existing?.is_folder) throw nameConflict(name);
  if (existing?.blob_key) {
    // Replace keeps the file's id: new bytes, same file. The old blob goes after the commit.
    // The folder may have been archived while the bytes were streaming.
    ensureNodeIsWritable(
      await getNodeOrThrow({ db, actor: userActor(ownerId), id: folderId, action: 'upload' }),
    );
    if (
      !(await addUsageWithinQuota(db, {
        userId: ownerId,
        bytes: blob.size - existing.size,
        files: 0,
      }))
    ) {
      throw quotaExceeded();
    }
    const file = await replaceFileContent(db, { id: existing.id, blob, thumbnailState });
    await enqueueBlobDeletion({ db, keys: [existing.blob_key] });
    return { file, event: toNodeEvent(file, 'updated') };
  }
  // Checks again that the folder is writable: it may have been trashed or archived meanwhile.
  const file = await createFileRow({
    db,
    file: {
      ownerId,
      parentId: folderId,
      name,
      size: blob.size,
      contentType: blob.contentType,
      sha256: blob.sha256,
      blobKey: blob.key,
      thumbnailState,
    },
    onConflict: onConflict === 'rename' ? 'rename' : 'fail',
  });
  return { file, event: toNodeEvent(file, 'created') };
};

/** A resumable upload of this user, finished or not; another user's is not found. */
export const findTusUpload = ({ db, ownerId, id }: { db: Db; ownerId: string; id: string }) =>
  getTusUpload(db, { id, ownerId });

/** A resumable upload its uploader cancelled: the record goes and the quota it held is free. */
export const terminateTusUpload = ({ db, ownerId, id }: { db: Db; ownerId: string; id: string }) =>
  deleteTusUpload(db, { id, ownerId });
