import { Readable } from 'node:stream';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { fileArchived } from '../nodes/nodes.errors.js';
import { ensureNodeIsWritable, normalizeName, toNodeEvent } from '../nodes/nodes.models.js';
import { getAncestors } from '../nodes/nodes.repository.js';
import {
  getFileOrThrow,
  getFolderOrThrow,
  createFileRow,
  publishAll,
  rethrowQuotaExceededFor,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { enqueueThumbnailIfPending } from '../thumbnails/thumbnails.jobs.js';
import { enqueueTextExtraction } from '../search/search.extract-job.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import type { Actor } from '../access/access.models.js';
import { authorizeNode, visiblePath } from '../access/access.usecases.js';
import { etagMatches, etagOf, parseRangeHeader } from './files.models.js';

export const getFileWithPath = async ({
  db,
  actor,
  id,
}: Pick<FilesDeps, 'db'> & { actor: Actor; id: string }) => {
  const { node: file, role } = await authorizeNode({
    db,
    actor,
    id,
    action: 'read',
    expect: 'file',
  });
  const ancestors = await getAncestors(db, { id: file.id });
  const path = ancestors.map(({ id: ancestorId, name }) => ({ id: ancestorId, name }));
  return { file, role, path: await visiblePath({ db, actor, role, path }) };
};

type ContentHead = {
  etag: string;
  name: string;
  contentType: string;
  size: number;
  range: { start: number; end: number } | null;
  /** Bytes the body carries. */
  length: number;
};

export type FileContent =
  | { status: 304; etag: string }
  | { status: 416; size: number }
  | (ContentHead & { status: 200 | 206; body: Readable });

/** What a download is to send, decided before any blob is opened. */
export type FileContentPlan =
  | { status: 304; etag: string }
  | { status: 416; size: number }
  | (ContentHead & { status: 200 | 206; blobKey: string });

type ContentRequest = Pick<FilesDeps, 'db'> & {
  actor: Actor;
  id: string;
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifRange?: string | undefined;
};

/** Resolves access, conditional and range headers into what to send; opens nothing. */
export const planFileContent = async ({
  db,
  actor,
  id,
  range: rangeHeader,
  ifNoneMatch,
  ifRange,
}: ContentRequest): Promise<FileContentPlan> => {
  const file = await getFileOrThrow({ db, actor, id, action: 'read' });
  if (file.storage_state !== 'hot' || !file.blob_key) throw fileArchived();
  const etag = etagOf(file.sha256, file.id, file.updated_at);
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, etag };
  // A stale If-Range means the client's partial copy is of other bytes: send it all.
  const honourRange = !ifRange || ifRange.trim() === etag;
  const range = parseRangeHeader(honourRange ? rangeHeader : undefined, file.size);
  if (range.kind === 'unsatisfiable') return { status: 416, size: file.size };
  const byteRange = range.kind === 'partial' ? { start: range.start, end: range.end } : null;
  return {
    status: byteRange ? 206 : 200,
    etag,
    name: file.name,
    contentType: file.content_type,
    size: file.size,
    range: byteRange,
    blobKey: file.blob_key,
    length: byteRange ? byteRange.end - byteRange.start + 1 : file.size,
  };
};

/** The planned content with its blob opened (or the plan's own answer when there is no body). */
export const openPlannedContent = async (
  blobStorage: FilesDeps['blobStorage'],
  plan: FileContentPlan,
): Promise<FileContent> => {
  if (plan.status === 304 || plan.status === 416) return plan;
  const { blobKey, ...head } = plan;
  const { body, size } =
    plan.size === 0 && !plan.range
      ? { body: emptyStream(), size: 0 }
      : await blobStorage.get({ key: blobKey, ...(plan.range ? { range: plan.range } : {}) });
  return { ...head, body, length: size };
};

/** Resolves conditional and range headers into what to send, opening the blob only when needed. */
export const openFileContent = async ({
  blobStorage,
  ...request
}: Pick<FilesDeps, 'blobStorage'> & ContentRequest): Promise<FileContent> =>
  openPlannedContent(blobStorage, await planFileContent(request));

const emptyStream = () => Readable.from([]);

/**
 * Copies through the store's own copy (server-side on S3). The copy belongs to the target
 * folder's owner and counts toward their quota: a sharee who can read a file may copy it into
 * their own tree.
 */
export const copyFile = async ({
  actor,
  id,
  targetFolderId,
  name: rawName,
  ...deps
}: Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  id: string;
  targetFolderId?: string | undefined;
  name?: string | undefined;
}) => {
  const { db, blobStorage } = deps;
  const source = await getFileOrThrow({ db, actor, id, action: 'read' });
  if (source.storage_state !== 'hot' || !source.blob_key) throw fileArchived();
  const target = await getFolderOrThrow({
    ...deps,
    actor,
    id: targetFolderId ?? source.parent_id ?? '',
    action: 'upload',
  });
  ensureNodeIsWritable(target);
  const name = rawName === undefined ? source.name : normalizeName(rawName);
  const key = createBlobKey();
  await blobStorage.copy({ fromKey: source.blob_key, toKey: key });
  try {
    const copy = await db.transaction().execute(async (trx) => {
      // The copy's blob is new, so it gets its own render rather than sharing the source's.
      const inserted = await createFileRow({
        db: trx,
        file: {
          ownerId: target.owner_id,
          parentId: target.id,
          name,
          size: source.size,
          contentType: source.content_type,
          sha256: source.sha256,
          blobKey: key,
          thumbnailState: initialThumbnailState(deps.settings.thumbnails, {
            contentType: source.content_type,
            size: source.size,
          }),
        },
        onConflict: 'rename',
      });
      await enqueueThumbnailIfPending({ db: trx, file: inserted });
      await enqueueTextExtraction({
        db: trx,
        file: inserted,
        settings: { maxBytes: deps.settings.contentSearchMaxBytes },
      });
      return inserted;
    });
    await publishAll({ ...deps, list: [toNodeEvent(copy, 'created')] });
    return copy;
  } catch (error) {
    await blobStorage.delete({ key }).catch(() => undefined);
    return rethrowQuotaExceededFor({ actor, folderOwnerId: target.owner_id, write: 'copy' })(error);
  }
};
