import type { Readable } from 'node:stream';
import type { DomainEvent } from '@myfile/contract';
import { isBlobTooLargeError } from '../../blob-storage/blob-storage.errors.js';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { invalidRequest } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { sniffContentType } from '../files/files.sniffing.js';
import {
  nameConflict,
  quotaExceeded,
  uploadTooLarge,
  versionMismatch,
} from '../nodes/nodes.errors.js';
import {
  ensureNodeIsWritable,
  ifMatchAllows,
  nodeVersionTag,
  normalizeName,
  toNameKey,
  toNodeEvent,
} from '../nodes/nodes.models.js';
import { findLiveChildByName, lockNodeRow, replaceFileContent } from '../nodes/nodes.repository.js';
import type { NodeRow, ThumbnailState } from '../nodes/nodes.tables.js';
import {
  createFileRowSeeingShares,
  getFolderWithUsageOrThrow,
  getNodeOrThrow,
  publishAll,
  rethrowNameConflict,
  rethrowQuotaExceededFor,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { enqueueThumbnailIfPending, thumbnailJobFor } from '../thumbnails/thumbnails.jobs.js';
import { enqueueTextExtraction, textExtractionJobFor } from '../search/search.extract-job.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import { enqueueBlobDeletion } from '../trash/trash.jobs.js';
import { addUsageWithinQuota } from '../usage/usage.repository.js';
import type { OnConflict } from './uploads.models.js';
import { actorUserId, quotaHolderOf, userActor, type Actor } from '../access/access.models.js';
import { nothingOfTheRequestStored } from './uploads.errors.js';
import { deleteTusUpload, getTusUpload } from './uploads.repository.js';
import { keepReplacedContent } from '../versions/versions.usecases.js';
import { setActivityActor } from '../activity/activity.repository.js';

type StoredBlob = { key: string; size: number; sha256: string; contentType: string };

/**
 * A replace's `If-Match` (RFC 9110 §13.1.1) against the file it would replace: that file must
 * exist (a folder is no file) and, unless `*`, still be at one of the listed versions. Absent
 * means no condition.
 */
const ensureReplaceAllowed = (ifMatch: string | undefined, existing: NodeRow | undefined) => {
  if (ifMatch === undefined) return;
  if (!existing || existing.is_folder || !ifMatchAllows(ifMatch, nodeVersionTag(existing)))
    throw versionMismatch();
};

/** `If-Match` only names a file to replace: with another conflict mode it means nothing. */
const ensureIfMatchFits = (ifMatch: string | undefined, onConflict: OnConflict) => {
  if (ifMatch !== undefined && onConflict !== 'replace')
    throw invalidRequest('If-Match needs onConflict=replace.', 'if-match');
};

/** Checks that can fail before a single byte is stored. */
export const prepareUpload = async ({
  actor,
  folderId,
  name: rawName,
  onConflict,
  declaredSize,
  ifMatch,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & {
  actor: Actor;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  declaredSize?: number;
  /** Checked here so a stale replace stores no byte; the commit checks it again. */
  ifMatch?: string | undefined;
}) => {
  ensureIfMatchFits(ifMatch, onConflict);
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
  ensureReplaceAllowed(ifMatch, existing);
  // Without versions a replace frees the old content as it lands, so only the difference has to
  // fit. The commit checks again against the file as it is then.
  // Kept as a version, the old content goes on counting: nothing is freed.
  const replacedBytes =
    onConflict === 'replace' && existing?.blob_key && !deps.settings.keepVersions
      ? existing.size
      : 0;
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

/** A blob streamed into the store for a file not written yet. */
type StagedUpload = { name: string; folder: NodeRow; blob: StoredBlob };

/**
 * Streams one file into the store after the checks that need no byte: size and SHA-256 computed
 * on the way, the limit (the upload limit, or what the quota has left once `alreadyStaged` bytes
 * of the same request are counted) enforced as soon as it is crossed. No row is written.
 */
const stageUpload = async ({
  actor,
  folderId,
  name: rawName,
  onConflict,
  body,
  declaredSize,
  alreadyStaged = 0,
  ifMatch,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'settings'> & {
  actor: Actor;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  body: Readable;
  declaredSize?: number | undefined;
  alreadyStaged?: number;
  ifMatch?: string | undefined;
}): Promise<StagedUpload> => {
  const { name, folder, remaining } = await prepareUpload({
    ...deps,
    actor,
    folderId,
    name: rawName,
    onConflict,
    ifMatch,
    ...(declaredSize !== undefined ? { declaredSize } : {}),
  });
  const { maxUploadBytes } = deps.settings;
  const limit = Math.min(maxUploadBytes, Math.max(0, remaining - alreadyStaged));
  const { contentType, stream } = await sniffContentType(body);
  const key = createBlobKey();
  try {
    const stored = await deps.blobStorage.put({ key, body: stream, contentType, maxBytes: limit });
    return { name, folder, blob: { key, contentType, ...stored } };
  } catch (error) {
    if (isBlobTooLargeError(error))
      throw limit < maxUploadBytes
        ? quotaExceeded(quotaHolderOf(actor, folder.owner_id))
        : uploadTooLarge(maxUploadBytes);
    throw error;
  }
};

/**
 * Upload of one file (WebDAV PUT, fixtures): streamed into the store, then the row in one
 * transaction. Whatever fails, the blob is removed again; the orphan sweep covers a process that
 * dies in between.
 */
export const uploadFile = async ({
  actor,
  folderId,
  name,
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
  const staged = await stageUpload({
    ...deps,
    actor,
    folderId,
    name,
    onConflict,
    body,
    declaredSize,
  });
  return commitStoredBlob({
    ...deps,
    ownerId: staged.folder.owner_id,
    folderId: staged.folder.id,
    name: staged.name,
    onConflict,
    blob: staged.blob,
    replacedBy: actorUserId(actor),
  }).catch(
    // Raced past the streaming check: the same answer, naming the same quota.
    rethrowQuotaExceededFor({ actor, folderOwnerId: staged.folder.owner_id }),
  );
};

/** One file part of a multipart form, as it streams in. */
export type UploadPart = { filename: string; file: Readable };

/**
 * A multipart upload of one or more files, all or nothing: each part streams into the store in
 * turn (never held in memory), and only once every part has arrived are all the rows written in
 * one transaction. When any part fails (a bad name, a conflict, the quota, the size limit, the
 * store, a client gone), the blobs staged so far are deleted and no file of the request exists.
 */
export const uploadFilesTogether = async ({
  actor,
  folderId,
  onConflict,
  parts,
  ifMatch,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  folderId: string;
  onConflict: OnConflict;
  parts: AsyncIterable<UploadPart>;
  /** Every file the request replaces must be at one of these versions (`*`: must exist). */
  ifMatch?: string | undefined;
}): Promise<{ file: NodeRow; sentName: string }[]> => {
  const staged: (StagedUpload & { sentName: string })[] = [];
  let failing: string | undefined;
  try {
    let stagedBytes = 0;
    for await (const part of parts) {
      failing = part.filename;
      // Two parts of one request under one name with `fail` would only clash at the commit.
      if (onConflict === 'fail') {
        const nameKey = toNameKey(part.filename.normalize('NFC'));
        if (staged.some((each) => toNameKey(each.name) === nameKey))
          throw nameConflict(part.filename);
      }
      const upload = await stageUpload({
        ...deps,
        actor,
        folderId,
        name: part.filename,
        onConflict,
        body: part.file,
        alreadyStaged: stagedBytes,
        ifMatch,
      });
      staged.push({ ...upload, sentName: part.filename });
      stagedBytes += upload.blob.size;
    }
    failing = undefined;
    const [first] = staged;
    if (!first) throw invalidRequest('The form holds no file.', 'file');
    const files = await commitStoredBlobs({
      ...deps,
      writes: staged.map(({ name, blob }) => ({
        ownerId: first.folder.owner_id,
        folderId: first.folder.id,
        name,
        onConflict,
        blob,
        ifMatch,
        replacedBy: actorUserId(actor),
      })),
    }).catch(rethrowQuotaExceededFor({ actor, folderOwnerId: first.folder.owner_id }));
    return files.map((file, index) => ({ file, sentName: staged[index]?.sentName ?? file.name }));
  } catch (error) {
    // `commitStoredBlobs` already deleted what it was given; a second delete finds nothing.
    await Promise.all(
      staged.map(({ blob }) => deps.blobStorage.delete({ key: blob.key }).catch(() => undefined)),
    );
    throw staged.length > 0 ? nothingOfTheRequestStored(error, failing, staged.length) : error;
  }
};

/** Which file a stored blob becomes; `ownerId` is the folder's owner, whoever uploads. */
type FileWrite = {
  ownerId: string;
  folderId: string;
  name: string;
  onConflict: OnConflict;
  blob: StoredBlob;
  /** The replace's `If-Match`, checked with the file's row locked. */
  ifMatch?: string | undefined;
  /** Who replaces the file, recorded on the version the old content becomes. */
  replacedBy?: string | null | undefined;
};

/** Creates (or replaces) the file row for a blob already in the store; deletes the blob on failure. */
export const commitStoredBlob = async ({
  ownerId,
  folderId,
  name,
  onConflict,
  blob,
  ifMatch,
  replacedBy,
  beforeWrite,
  inTransaction,
  keepBlobWhen,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'settings' | 'cache'> &
  FileWrite & {
    /** Runs first in the same transaction, e.g. to claim a resumable upload's completion. */
    beforeWrite?: (trx: Db) => Promise<void>;
    /** Runs last in the same transaction, e.g. to record which file the upload became. */
    inTransaction?: (trx: Db, file: NodeRow) => Promise<void>;
    /** A failure after which the blob stays (another row may hold it); others delete it. */
    keepBlobWhen?: (error: unknown) => boolean;
  }): Promise<NodeRow> => {
  const [file] = await commitStoredBlobs({
    ...deps,
    ...(keepBlobWhen ? { keepBlobWhen } : {}),
    writes: [{ ownerId, folderId, name, onConflict, blob, ifMatch, replacedBy }],
    ...(beforeWrite ? { beforeWrite } : {}),
    ...(inTransaction
      ? { inTransaction: (trx: Db, [written]: NodeRow[]) => inTransaction(trx, written as NodeRow) }
      : {}),
  });
  if (!file) throw new Error('The commit wrote no file.');
  return file;
};

/**
 * The rows for blobs already in the store, in one transaction (all or none), in the order
 * given; the events go out once it has committed. On failure every blob is deleted.
 */
const commitStoredBlobs = async ({
  writes,
  beforeWrite,
  inTransaction,
  keepBlobWhen,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'settings' | 'cache'> & {
  writes: FileWrite[];
  beforeWrite?: (trx: Db) => Promise<void>;
  inTransaction?: (trx: Db, files: NodeRow[]) => Promise<void>;
  keepBlobWhen?: (error: unknown) => boolean;
}): Promise<NodeRow[]> => {
  const planned = writes.map((target) => ({
    target,
    thumbnailState: initialThumbnailState(deps.settings.thumbnails, target.blob),
  }));
  const write = async (db: Db) => {
    await beforeWrite?.(db);
    const results: { file: NodeRow; event: DomainEvent }[] = [];
    for (const { target, thumbnailState } of planned) {
      const result = await writeFileRow({
        db,
        ...target,
        thumbnailState,
        settings: deps.settings,
      }).catch(rethrowNameConflict(target.name));
      results.push(result);
    }
    await inTransaction?.(
      db,
      results.map((result) => result.file),
    );
    return results;
  };
  // A new file with nothing written alongside is one atomic statement, its jobs (thumbnail,
  // text index) included (see `createFileRow`): a transaction would only add three round trips
  // to the commonest write there is.
  const alone =
    planned.length === 1 &&
    planned.every(({ target }) => target.onConflict !== 'replace') &&
    !inTransaction &&
    !beforeWrite;
  try {
    const results = await (alone
      ? write(deps.db)
      : deps.db.transaction().execute(async (trx) => {
          await setActivityActor(trx, writes[0]?.replacedBy ?? null);
          return write(trx);
        }));
    await publishAll({ ...deps, list: results.map((result) => result.event) });
    return results.map((result) => result.file);
  } catch (error) {
    if (!keepBlobWhen?.(error)) {
      await Promise.all(
        writes.map(({ blob }) => deps.blobStorage.delete({ key: blob.key }).catch(() => undefined)),
      );
    }
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
  ifMatch,
  replacedBy = null,
  settings,
}: { db: Db } & FileWrite & {
    thumbnailState: ThumbnailState;
    settings: Pick<FilesDeps['settings'], 'keepVersions' | 'contentSearchMaxBytes'>;
  }): Promise<{
  file: NodeRow;
  event: DomainEvent;
}> => {
  const { keepVersions } = settings;
  const contentSearch = { maxBytes: settings.contentSearchMaxBytes };
  ensureIfMatchFits(ifMatch, onConflict);
  let existing =
    onConflict === 'replace'
      ? await findLiveChildByName(db, { ownerId, parentId: folderId, name })
      : undefined;
  if (ifMatch !== undefined && existing) {
    // Locked, then read again: a replace committed meanwhile is seen, and one that comes
    // later waits for this transaction and then sees this version.
    await lockNodeRow(db, { id: existing.id });
    existing = await findLiveChildByName(db, { ownerId, parentId: folderId, name });
  }
  ensureReplaceAllowed(ifMatch, existing);
  if (existing?.is_folder) throw nameConflict(name);
  if (existing?.blob_key) {
    // Replace keeps the file's id: new bytes, same file. The old blob becomes a version (or,
    // with versions off, goes after the commit).
    // The folder may have been archived while the bytes were streaming.
    ensureNodeIsWritable(
      await getNodeOrThrow({ db, actor: userActor(ownerId), id: folderId, action: 'upload' }),
    );
    if (
      !(await addUsageWithinQuota(db, {
        userId: ownerId,
        bytes: keepVersions ? blob.size : blob.size - existing.size,
        files: 0,
      }))
    ) {
      throw quotaExceeded();
    }
    if (keepVersions)
      await keepReplacedContent({
        db,
        file: { ...existing, blob_key: existing.blob_key },
        replacedBy,
      });
    else await enqueueBlobDeletion({ db, keys: [existing.blob_key] });
    const file = await replaceFileContent(db, { id: existing.id, blob, thumbnailState });
    await enqueueThumbnailIfPending({ db, file });
    await enqueueTextExtraction({ db, file, settings: contentSearch });
    return { file, event: toNodeEvent(file, 'updated') };
  }
  // Checks again that the folder is writable: it may have been trashed or archived meanwhile.
  const { file, ownerSharesAnything } = await createFileRowSeeingShares({
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
    jobsFor: (written) => {
      const row = {
        id: written.id,
        name: written.name,
        size: written.size,
        blob_key: blob.key,
        content_type: blob.contentType,
        thumbnail_state: thumbnailState,
      };
      return [thumbnailJobFor(row), textExtractionJobFor(row, contentSearch)].filter(
        (job) => job !== undefined,
      );
    },
  });
  return {
    file,
    event: toNodeEvent(file, 'created', { ownerSharesNothing: !ownerSharesAnything }),
  };
};

/** A resumable upload of this user, finished or not; another user's is not found. */
export const findTusUpload = ({ db, ownerId, id }: { db: Db; ownerId: string; id: string }) =>
  getTusUpload(db, { id, ownerId });

/** A resumable upload its uploader cancelled: the record goes and the quota it held is free. */
export const terminateTusUpload = ({ db, ownerId, id }: { db: Db; ownerId: string; id: string }) =>
  deleteTusUpload(db, { id, ownerId });
