import { Readable } from 'node:stream';
import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import type { MetadataCache } from '../../metadata-cache/metadata-cache.types.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { setActivityActor } from '../activity/activity.repository.js';
import { authorizeNode } from '../access/access.usecases.js';
import { etagMatches, parseRangeHeader } from '../files/files.models.js';
import type { FileContent } from '../files/files.usecases.js';
import { fileArchived } from '../nodes/nodes.errors.js';
import { toNodeEvent } from '../nodes/nodes.models.js';
import { getNodeById, lockNodeRow, replaceFileContent } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { publishAll, type FilesDeps } from '../nodes/nodes.usecases.js';
import { enqueueThumbnailIfPending } from '../thumbnails/thumbnails.jobs.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import { enqueueBlobDeletion } from '../trash/trash.jobs.js';
import { releaseUsage } from '../usage/usage.repository.js';
import { versionsToKeep, type VersionsKeep } from './versions.models.js';
import {
  deleteVersions,
  getVersion,
  insertVersionOf,
  listFilesWithVersions,
  listVersions,
} from './versions.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noSuchVersion = () => notFound('No such version.');

/**
 * Versions are an editor's tool: reading one is `write` on the file, so a viewer (or a link
 * visitor) sees only the current content. An earlier content may hold what its owner replaced on
 * purpose (a removed secret), which a viewer was never meant to see.
 */
const getFileForVersions = async ({ db, actor, id }: { db: Db; actor: Actor; id: string }) =>
  (await authorizeNode({ db, actor, id, action: 'write', expect: 'file' })).node;

/**
 * Keeps a file's content as a version before a replace gives the row new bytes: called in the
 * replace's transaction, with the blob key moving from the file row to the version, so nothing
 * is copied and the quota keeps counting the bytes.
 */
export const keepReplacedContent = ({
  db,
  file,
  replacedBy,
}: {
  db: Db;
  file: NodeRow & { blob_key: string };
  replacedBy: string | null;
}) => insertVersionOf(db, { file, createdBy: replacedBy, now: new Date() });

export const listFileVersions = async ({
  db,
  actor,
  id,
}: Pick<FilesDeps, 'db'> & { actor: Actor; id: string }) => {
  const file = await getFileForVersions({ db, actor, id });
  return listVersions(db, { nodeId: file.id });
};

const getVersionOrThrow = async ({
  db,
  nodeId,
  versionId,
}: {
  db: Db;
  nodeId: string;
  versionId: string;
}) => {
  const version = UUID.test(versionId)
    ? await getVersion(db, { nodeId, id: versionId })
    : undefined;
  if (!version) throw noSuchVersion();
  return version;
};

/** A version's bytes with the same conditional and range rules as the file's download. */
export const openVersionContent = async ({
  db,
  blobStorage,
  actor,
  fileId,
  versionId,
  range: rangeHeader,
  ifNoneMatch,
  ifRange,
}: Pick<FilesDeps, 'db' | 'blobStorage'> & {
  actor: Actor;
  fileId: string;
  versionId: string;
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifRange?: string | undefined;
}): Promise<FileContent> => {
  const file = await getFileForVersions({ db, actor, id: fileId });
  const version = await getVersionOrThrow({ db, nodeId: file.id, versionId });
  // The versions travel to the cold tier with the file.
  if (file.storage_state !== 'hot') throw fileArchived();
  const etag = `"${version.sha256}"`;
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, etag };
  const honourRange = !ifRange || ifRange.trim() === etag;
  const range = parseRangeHeader(honourRange ? rangeHeader : undefined, version.size);
  if (range.kind === 'unsatisfiable') return { status: 416, size: version.size };
  const byteRange = range.kind === 'partial' ? { start: range.start, end: range.end } : null;
  const { body, size } =
    version.size === 0 && !byteRange
      ? { body: Readable.from([]), size: 0 }
      : await blobStorage.get({
          key: version.blob_key,
          ...(byteRange ? { range: byteRange } : {}),
        });
  return {
    status: byteRange ? 206 : 200,
    etag,
    name: file.name,
    contentType: version.content_type,
    size: version.size,
    range: byteRange,
    body,
    length: size,
  };
};

/**
 * The version becomes the file's content again and the current content is kept as the newest
 * version: the two blobs swap places, so no byte is copied and the usage does not change.
 */
export const restoreVersion = async ({
  actor,
  fileId,
  versionId,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  fileId: string;
  versionId: string;
}): Promise<NodeRow> => {
  const authorized = await getFileForVersions({ db: deps.db, actor, id: fileId });
  const file = await deps.db.transaction().execute(async (trx) => {
    await lockNodeRow(trx, { id: authorized.id });
    await setActivityActor(trx, actorUserId(actor));
    const current = await getNodeById(trx, { id: authorized.id });
    if (!current || current.trashed_at || !current.blob_key) throw notFound('No such file.');
    if (current.storage_state !== 'hot') throw fileArchived();
    // Deleted first and used as deleted: a retention run that took it meanwhile leaves nothing
    // here, never a file row pointing at a blob queued for deletion.
    const [version] = UUID.test(versionId)
      ? await deleteVersions(trx, { nodeId: current.id, ids: [versionId] })
      : [];
    if (!version) throw noSuchVersion();
    await insertVersionOf(trx, {
      file: { ...current, blob_key: current.blob_key },
      createdBy: actorUserId(actor),
      now: new Date(),
    });
    const restored = await replaceFileContent(trx, {
      id: current.id,
      blob: {
        key: version.blob_key,
        size: version.size,
        sha256: version.sha256,
        contentType: version.content_type,
      },
      thumbnailState: initialThumbnailState(deps.settings.thumbnails, {
        contentType: version.content_type,
        size: version.size,
      }),
    });
    await enqueueThumbnailIfPending({ db: trx, file: restored });
    return restored;
  });
  await publishAll({ ...deps, list: [toNodeEvent(file, 'updated')] });
  return file;
};

/** Deletes versions in one transaction: rows and usage now, blobs by a job once it commits. */
const dropVersions = async ({
  db,
  cache,
  ownerId,
  nodeId,
  ids,
}: {
  db: Db;
  cache: MetadataCache;
  ownerId: string;
  nodeId: string;
  ids: string[];
}) => {
  const deleted = await db.transaction().execute(async (trx) => {
    const rows = await deleteVersions(trx, { nodeId, ids });
    const bytes = rows.reduce((sum, row) => sum + row.size, 0);
    await releaseUsage(trx, { userId: ownerId, bytes, files: 0 });
    await enqueueBlobDeletion({ db: trx, keys: rows.map((row) => row.blob_key) });
    return rows;
  });
  if (deleted.length > 0) await cache.invalidate(ownerId, ['usage']);
  return deleted;
};

export const deleteVersion = async ({
  actor,
  fileId,
  versionId,
  ...deps
}: Pick<FilesDeps, 'db' | 'cache'> & { actor: Actor; fileId: string; versionId: string }) => {
  const file = await getFileForVersions({ db: deps.db, actor, id: fileId });
  const version = await getVersionOrThrow({ db: deps.db, nodeId: file.id, versionId });
  // Its blob is in the cold tier with the file's: deleting it there waits for a restore.
  if (file.storage_state !== 'hot') throw fileArchived();
  const deleted = await dropVersions({
    ...deps,
    ownerId: file.owner_id,
    nodeId: file.id,
    ids: [version.id],
  });
  if (deleted.length === 0) throw noSuchVersion();
};

const FILES_PER_BATCH = 200;

/**
 * Deletes the versions the schedule no longer keeps, file by file (each file its own short
 * transaction). Archived files wait: their versions are in the cold tier. Safe to run twice or
 * alongside itself: a version already gone is simply not deleted again.
 */
export const applyVersionRetention = async ({
  db,
  cache,
  keep,
  now,
}: {
  db: Db;
  cache: MetadataCache;
  keep: VersionsKeep;
  now: Date;
}) => {
  let afterId: string | null = null;
  let deleted = 0;
  for (;;) {
    const files = await listFilesWithVersions(db, { afterId, limit: FILES_PER_BATCH });
    for (const file of files) {
      if (file.storage_state !== 'hot') continue;
      const versions = await listVersions(db, { nodeId: file.id });
      const kept = versionsToKeep(
        versions.map((version) => ({ id: version.id, createdAt: version.created_at })),
        now,
        keep,
      );
      const expired = versions.filter((version) => !kept.has(version.id));
      if (expired.length === 0) continue;
      const rows = await dropVersions({
        db,
        cache,
        ownerId: file.owner_id,
        nodeId: file.id,
        ids: expired.map((version) => version.id),
      });
      deleted += rows.length;
    }
    const last = files.at(-1);
    if (!last || files.length < FILES_PER_BATCH) return { deleted };
    afterId = last.id;
  }
};
