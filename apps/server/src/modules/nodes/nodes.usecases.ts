/** The tree's shared use cases, used by every file domain: see README.md beside this file. */
import type { DomainEvent } from '@myfile/contract';
import { uuidv7 } from 'uuidv7';
import type { AppContext } from '../../app/app-context.js';
import { isAppError, notFound } from '../../app/app-error.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../event-bus/event-bus.js';
import type { NewJob } from '../../job-queue/jobs.repository.js';
import {
  actorUserId,
  quotaHolderOf,
  userActor,
  type Action,
  type Actor,
} from '../access/access.models.js';
import { authorizeChange, authorizeNode } from '../access/access.usecases.js';
import type { ThumbnailSettings } from '../thumbnails/thumbnails.models.js';
import { topicsByUser } from '../../metadata-cache/metadata-cache.models.js';
import type { MetadataCache } from '../../metadata-cache/metadata-cache.types.js';
import { insertStorageUsageIfMissing } from '../usage/usage.repository.js';
import {
  folderArchived,
  isQuotaViolation,
  isSiblingNameViolation,
  moveAcrossOwners,
  moveIntoItself,
  nameConflict,
  quotaExceeded,
  rootIsReadOnly,
  versionMismatch,
} from './nodes.errors.js';
import {
  ensureNodeIsWritable,
  ifMatchAllows,
  nodeVersionTag,
  normalizeName,
  toNameKey,
  toNodeEvent,
  withCopySuffix,
} from './nodes.models.js';
import {
  findLiveChildByName,
  getLiveFolderWithUsage,
  getRootFolder,
  lockNodeRow,
  hasNonHotNodeInSubtree,
  isSameOrDescendant,
  moveNode,
  renameNode,
  insertFileChargingUsage,
  insertRootFolderIfMissing,
  listLiveSiblingNameKeysWithPrefix,
  type NewNode,
} from './nodes.repository.js';
import type { NodeRow } from './nodes.tables.js';
import { setActivityActor } from '../activity/activity.repository.js';

export type FilesSettings = {
  maxUploadBytes: number;
  defaultQuotaBytes: number;
  trashRetentionDays: number;
  thumbnails: ThumbnailSettings;
  /**
   * nginx's internal location holding the disk store's blobs: whole-file downloads answer with
   * `X-Accel-Redirect` there instead of streaming. Only ever set for the disk store.
   */
  downloadAccelRedirect?: string | undefined;
  /** Text files and PDFs up to this size get their text indexed; 0: none. */
  contentSearchMaxBytes: number;
  /** A replace keeps the previous content as a version (`VERSIONS_KEEP` is not `off`). */
  keepVersions: boolean;
};

/** What the folder, file, upload and trash use cases run on; tests pass their own. */
export type FilesDeps = {
  db: Db;
  blobStorage: BlobStorage;
  events: EventBus;
  /** Breadcrumbs and usage, read through Redis when it is configured. */
  cache: MetadataCache;
  settings: FilesSettings;
};

export const toFilesDeps = (context: AppContext): FilesDeps => ({
  db: context.database.db,
  blobStorage: context.blobStorage,
  events: context.events,
  cache: context.cache,
  settings: {
    maxUploadBytes: context.config.MAX_UPLOAD_BYTES,
    defaultQuotaBytes: context.config.DEFAULT_QUOTA_BYTES,
    trashRetentionDays: context.config.TRASH_RETENTION_DAYS,
    thumbnails: thumbnailSettingsOf(context),
    downloadAccelRedirect: context.config.DOWNLOAD_ACCEL_REDIRECT,
    contentSearchMaxBytes: context.config.CONTENT_SEARCH_MAX_BYTES,
    keepVersions: context.config.VERSIONS_KEEP !== 'off',
  },
});

export const thumbnailSettingsOf = (context: AppContext): ThumbnailSettings => ({
  maxPixels: context.config.THUMBNAIL_MAX_PIXELS,
  maxSourceBytes: context.config.THUMBNAIL_MAX_SOURCE_BYTES,
});

/** The usage row goes first: a root folder then always implies a usage row exists. */
export const ensureUserSpace = async ({
  db,
  settings,
  ownerId,
}: Pick<FilesDeps, 'db' | 'settings'> & { ownerId: string }): Promise<NodeRow> => {
  const existing = await getRootFolder(db, { ownerId });
  if (existing) return existing;
  await insertStorageUsageIfMissing(db, {
    userId: ownerId,
    quotaBytes: settings.defaultQuotaBytes,
  });
  await insertRootFolderIfMissing(db, { ownerId });
  const root = await getRootFolder(db, { ownerId });
  if (!root) throw new Error('The root folder could not be created.');
  return root;
};

/** Any live node the actor may act on: the one authorization rule (see access/). */
export const getNodeOrThrow = async ({
  db,
  actor,
  id,
  action,
}: { db: Db } & { actor: Actor; id: string; action: Action }) =>
  (await authorizeNode({ db, actor, id, action })).node;

export const getFileOrThrow = async ({
  db,
  actor,
  id,
  action,
}: { db: Db } & { actor: Actor; id: string; action: Action }) =>
  (await authorizeNode({ db, actor, id, action, expect: 'file' })).node;

/** `root` names the signed-in user's own top folder in URLs. */
export const getFolderOrThrow = async ({
  actor,
  id,
  action,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & { actor: Actor; id: string; action: Action }) => {
  if (id === 'root') {
    const userId = actorUserId(actor);
    if (!userId) throw notFound('No such folder.');
    return ensureUserSpace({ ...deps, ownerId: userId });
  }
  return (await authorizeNode({ db: deps.db, actor, id, action, expect: 'folder' })).node;
};

/** The folder and its owner's quota and usage: what every upload asks first. */
export const getFolderWithUsageOrThrow = async ({
  actor,
  id,
  action,
  ...deps
}: Pick<FilesDeps, 'db' | 'settings'> & { actor: Actor; id: string; action: Action }) => {
  // One's own root with its usage in one statement (every upload there); it is only made
  // below, on a first upload before anything else made it.
  const userId = id === 'root' ? actorUserId(actor) : null;
  if (userId) {
    const root = await getLiveFolderWithUsage(deps.db, { ownerId: userId, id });
    if (root) return root;
  }
  const folder = await getFolderOrThrow({ ...deps, actor, id, action });
  const withUsage = await getLiveFolderWithUsage(deps.db, {
    ownerId: folder.owner_id,
    id: folder.id,
  });
  if (!withUsage) throw notFound('No such folder.');
  return withUsage;
};

/** A folder is writable when it is hot; deleting one also needs everything below it hot. */
export const ensureSubtreeIsWritable = async ({ db, node }: { db: Db } & { node: NodeRow }) => {
  ensureNodeIsWritable(node);
  if (node.is_folder && (await hasNonHotNodeInSubtree(db, { id: node.id }))) {
    throw folderArchived();
  }
};

/**
 * Inserts under the first free name: `name`, then "name (1)", "name (2)"… Retries when a
 * concurrent request takes the chosen name first (the unique index decides).
 */
export const insertNodeWithFreeName = async <Node extends { parentId: string; name: string }>({
  db,
  node,
  insert,
}: { db: Db } & { node: Node } & {
  insert: (db: Db, node: Node) => Promise<NodeRow | undefined>;
}): Promise<NodeRow> => {
  // The common case, a free name, costs one statement.
  const first = await insert(db, node);
  if (first) return first;
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = await pickFreeName({ db, parentId: node.parentId, name: node.name });
    const inserted = await insert(db, { ...node, name });
    if (inserted) return inserted;
  }
  throw new Error('Could not find a free name after 20 attempts.');
};

type NewFile = Omit<NewNode, 'isFolder'> & { size: number };

/**
 * A new file row into a folder that must still be writable, charged to the owner's quota, under
 * its name or (`rename`) the first free "name (n)". Each attempt is one atomic statement, so
 * `db` needs to be a transaction only when the caller writes more alongside.
 */
export const createFileRow = async (
  args: { db: Db } & { file: NewFile } & { onConflict: 'rename' | 'fail' },
): Promise<NodeRow> => (await createFileRowSeeingShares(args)).file;

/**
 * `createFileRow`, also telling whether the owner had any share or viewer link as the insert
 * saw it: its event needs no lookup of who else may hear of it when not.
 */
export const createFileRowSeeingShares = async ({
  db,
  file: fileArg,
  onConflict,
  jobsFor,
}: { db: Db } & { file: NewFile } & { onConflict: 'rename' | 'fail' } & {
  /** Jobs for the file as it is written (under a free name, with `rename`), in its statement. */
  jobsFor?: (file: NewFile & { id: string }) => NewJob[];
}): Promise<{
  file: NodeRow;
  ownerSharesAnything: boolean;
}> => {
  // Its jobs name the file by id, so the id is chosen before the first attempt.
  const file = { ...fileArg, id: fileArg.id ?? uuidv7() };
  let ownerSharesAnything = true;
  const insert = async (on: Db, candidate: NewFile & { id: string }) => {
    const inserted = await insertFileChargingUsage(on, candidate, jobsFor?.(candidate)).catch(
      (error: unknown) => {
        throw isQuotaViolation(error) ? quotaExceeded() : error;
      },
    );
    if (inserted) {
      ownerSharesAnything = inserted.ownerSharesAnything;
      return inserted.row;
    }
    // Nothing inserted: the folder went away or was archived meanwhile (this throws), or the
    // name is taken.
    ensureNodeIsWritable(
      await getNodeOrThrow({
        db: on,
        actor: userActor(file.ownerId),
        id: file.parentId,
        action: 'upload',
      }),
    );
    return undefined;
  };
  if (onConflict === 'rename') {
    const row = await insertNodeWithFreeName({ db, node: file, insert });
    return { file: row, ownerSharesAnything };
  }
  const row = await insert(db, file);
  if (!row) throw nameConflict(file.name);
  return { file: row, ownerSharesAnything };
};

export const pickFreeName = async ({
  db,
  parentId,
  name,
}: { db: Db } & { parentId: string; name: string }): Promise<string> => {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 && dot < name.length - 1 ? name.slice(0, dot) : name;
  const taken = await listLiveSiblingNameKeysWithPrefix(db, {
    parentId,
    prefixKey: toNameKey(stem),
  });
  if (!taken.has(toNameKey(name))) return name;
  for (let n = 1; ; n++) {
    const candidate = withCopySuffix(name, n);
    if (!taken.has(toNameKey(candidate))) return candidate;
  }
};

/**
 * Call once the change has committed: the cache forgets what it made stale before the request
 * answers (so the next read, on any process, sees the change), then subscribers hear of it.
 */
export const publishAll = async ({
  events,
  cache,
  list,
}: Pick<FilesDeps, 'events' | 'cache'> & { list: readonly DomainEvent[] }) => {
  await Promise.all(
    [...topicsByUser(list)].map(([userId, topics]) => cache.invalidate(userId, topics)),
  );
  for (const event of list) events.publish(event);
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * PATCH of a file or folder: rename and/or move, by its owner or an editor. The target must be a
 * folder the actor may write to in the same owner's tree: nothing moves from one person's tree
 * into another's (a sharee copies instead). A folder moved below itself is refused.
 */
export const renameOrMoveNode = async ({
  actor,
  id,
  name: rawName,
  parentId: rawParentId,
  expect,
  ifMatch,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  id: string;
  name?: string | undefined;
  parentId?: string | undefined;
  expect?: 'file' | 'folder';
  /** The request's `If-Match`: the change happens only if the node is still at that version. */
  ifMatch?: string | undefined;
}): Promise<NodeRow> => {
  const name = rawName === undefined ? undefined : normalizeName(rawName);
  const target =
    rawParentId === undefined
      ? undefined
      : await getFolderOrThrow({ ...deps, actor, id: rawParentId, action: 'write' });
  const { row, event } = await deps.db
    .transaction()
    .execute(async (trx) => {
      if (ifMatch !== undefined && UUID.test(id)) await lockNodeRow(trx, { id });
      await setActivityActor(trx, actorUserId(actor));
      const { node } = await authorizeChange({ db: trx, actor, id, expect });
      if (!ifMatchAllows(ifMatch, nodeVersionTag(node))) throw versionMismatch();
      if (node.is_root) throw rootIsReadOnly();
      ensureNodeIsWritable(node);
      const ownerId = node.owner_id;
      if (target) {
        const current = await getNodeOrThrow({ db: trx, actor, id: target.id, action: 'write' });
        if (current.owner_id !== ownerId) throw moveAcrossOwners();
        ensureNodeIsWritable(current);
      }
      const parentId = target?.id ?? node.parent_id ?? '';
      const newName = name ?? node.name;
      const moving = parentId !== node.parent_id;
      if (
        moving &&
        node.is_folder &&
        (await isSameOrDescendant(trx, { folderId: node.id, candidateId: parentId }))
      ) {
        throw moveIntoItself();
      }
      // Same place, same name (to the letter): nothing changes, so nothing is told or bumped.
      if (!moving && newName === node.name) return { row: node, event: undefined };
      const clash = await findLiveChildByName(trx, { ownerId, parentId, name: newName });
      if (clash && clash.id !== node.id) throw nameConflict(newName);
      const updated = moving
        ? await moveNode(trx, { ownerId, id, parentId, name: newName })
        : await renameNode(trx, { ownerId, id, name: newName });
      return {
        row: updated,
        event: toNodeEvent(
          updated,
          moving ? 'moved' : 'updated',
          moving ? { previousParentId: node.parent_id } : {},
        ),
      };
    })
    .catch(rethrowNameConflict(name ?? ''));
  if (event) await publishAll({ ...deps, list: [event] });
  return row;
};

/**
 * A full quota told from where the actor stands, whichever layer noticed it (a pre-check, the
 * charging statement, a reservation): a write into a folder someone else owns names that
 * owner's quota.
 */
export const rethrowQuotaExceededFor =
  ({
    actor,
    folderOwnerId,
    write = 'upload',
  }: {
    actor: Actor;
    folderOwnerId: string;
    write?: 'upload' | 'copy';
  }) =>
  (error: unknown): never => {
    if (isAppError(error) && error.code === 'quota_exceeded') {
      throw quotaExceeded(quotaHolderOf(actor, folderOwnerId), write);
    }
    throw error;
  };

/** The unique index caught a race the pre-check could not see. */
export const rethrowNameConflict =
  (name: string) =>
  (error: unknown): never => {
    if (isSiblingNameViolation(error)) throw nameConflict(name);
    throw error;
  };
