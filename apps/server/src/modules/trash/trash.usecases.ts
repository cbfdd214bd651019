import { deleteVersionsInTrashBatches } from '../versions/versions.repository.js';
import type { DomainEvent } from '@myfile/contract';
import { uuidv7 } from 'uuidv7';
import { notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { folderNotEmpty, rootIsReadOnly } from '../nodes/nodes.errors.js';
import {
  ensureNodeIsWritable,
  FOLDER_CONTENT_TYPE,
  toNameKey,
  toNodeEvent,
  toSortKey,
} from '../nodes/nodes.models.js';
import {
  findLiveChildByName,
  getAncestors,
  getLiveNode,
  hasLiveChildren,
  insertNodeUnlessNameTaken,
  listLiveChildren,
} from '../nodes/nodes.repository.js';
import { setActivityActor } from '../activity/activity.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import {
  ensureSubtreeIsWritable,
  ensureUserSpace,
  insertNodeWithFreeName,
  pickFreeName,
  publishAll,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { authorizeChange, authorizeNode } from '../access/access.usecases.js';
import { releaseUsage } from '../usage/usage.repository.js';
import { enqueueBlobDeletion } from './trash.jobs.js';
import { pageByTime } from '../nodes/time-cursor.js';
import {
  deleteTrashBatches,
  getTrashRoot,
  listTrashBatchIds,
  listTrashRoots,
  markSubtreeTrashed,
  untrashBatch,
} from './trash.repository.js';

/** The trash's items (each trashed subtree once, by its root), newest first, a page at a time. */
export const listTrash = async ({
  db,
  ownerId,
  cursor,
  limit,
}: {
  db: Db;
  ownerId: string;
  cursor?: string | undefined;
  limit: number;
}) => {
  return pageByTime({
    cursor,
    limit,
    fetch: (after, rows) => listTrashRoots(db, { ownerId, after, limit: rows }),
    positionOf: (row) =>
      row.trashed_at ? { at: row.trashed_at.toISOString(), id: row.id } : undefined,
  });
};

/** Moves a node and its whole live subtree to the trash as one batch. Runs in the caller's transaction. */
export const trashNodeInTransaction = async ({
  db: trx,
  node,
  now = new Date(),
}: { db: Db } & { node: NodeRow; now?: Date }): Promise<DomainEvent> => {
  if (node.is_root) throw rootIsReadOnly();
  await ensureSubtreeIsWritable({ db: trx, node });
  const path = (await getAncestors(trx, { id: node.id })).map((ancestor) => ancestor.name);
  await markSubtreeTrashed(trx, { id: node.id, batchId: uuidv7(), now, path });
  return toNodeEvent(node, 'trashed', { at: now });
};

/** DELETE of a file or folder; a non-empty folder needs `recursive`. It goes to its owner's trash. */
export const trashNode = async ({
  actor,
  id,
  recursive,
  expect,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache'> & {
  actor: Actor;
  id: string;
  recursive: boolean;
  expect?: 'file' | 'folder';
}) => {
  const event = await deps.db.transaction().execute(async (trx) => {
    await setActivityActor(trx, actorUserId(actor));
    const { node } = await authorizeChange({ db: trx, actor, id, expect });
    if (node.is_folder && !recursive && (await hasLiveChildren(trx, { folderId: node.id }))) {
      throw folderNotEmpty();
    }
    return trashNodeInTransaction({ db: trx, node });
  });
  await publishAll({ ...deps, list: [event] });
};

/** "Empty the folder, then delete": each child becomes its own trash item, restorable alone. */
export const emptyFolder = async ({
  actor,
  id,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & { actor: Actor; id: string }) => {
  const { db } = deps;
  const userId = actorUserId(actor);
  const root =
    id === 'root' && userId ? await ensureUserSpace({ ...deps, ownerId: userId }) : undefined;
  const emitted = await db.transaction().execute(async (trx) => {
    await setActivityActor(trx, userId);
    const folder =
      root ?? (await authorizeNode({ db: trx, actor, id, action: 'write', expect: 'folder' })).node;
    ensureNodeIsWritable(folder);
    const children = await listLiveChildren(trx, { parentId: folder.id });
    const now = new Date();
    const list: DomainEvent[] = [];
    for (const child of children)
      list.push(await trashNodeInTransaction({ db: trx, node: child, now }));
    return { list, folder };
  });
  const emptied = toNodeEvent(emitted.folder, 'updated');
  await publishAll({
    ...deps,
    list: [
      ...emitted.list,
      ...(emptied.type === 'folder.updated'
        ? [{ ...emptied, type: 'folder.emptied' as const }]
        : []),
    ],
  });
  return { trashed: emitted.list.length };
};

/**
 * Puts a trash item back where it was. If that folder is gone or itself in the trash, the
 * remembered path is recreated from the root; a taken name gets a " (n)" suffix. Nothing is
 * restored into (or made inside) an archived folder.
 */
export const restoreTrashItem = async ({
  ownerId,
  id,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & { ownerId: string; id: string }) => {
  const root = await ensureUserSpace({ ...deps, ownerId });
  const restored = await deps.db.transaction().execute(async (trx) => {
    const item = /^[0-9a-f-]{36}$/i.test(id) ? await getTrashRoot(trx, { ownerId, id }) : undefined;
    if (!item?.trash_batch_id) throw notFound('No such item in the trash.');
    const parentId = await resolveRestoreParent({ db: trx, ownerId, item, rootId: root.id });
    const parent = await getLiveNode(trx, { ownerId, id: parentId });
    if (parent) ensureNodeIsWritable(parent);
    const name = await pickFreeName({ db: trx, parentId, name: item.name });
    await untrashBatch(trx, {
      batchId: item.trash_batch_id,
      rootId: item.id,
      parentId,
      name,
      nameKey: toNameKey(name),
      sortKey: toSortKey(name),
    });
    return (await getLiveNode(trx, { ownerId, id: item.id })) ?? item;
  });
  await publishAll({ ...deps, list: [toNodeEvent(restored, 'restored')] });
  return restored;
};

const resolveRestoreParent = async ({
  db: trx,
  ownerId,
  item,
  rootId,
}: { db: Db } & { ownerId: string; item: NodeRow; rootId: string }): Promise<string> => {
  if (item.parent_id) {
    const parent = await getLiveNode(trx, { ownerId, id: item.parent_id });
    if (parent) return parent.id;
  }
  let parentId = rootId;
  for (const name of item.trash_path ?? []) {
    const existing = await findLiveChildByName(trx, { ownerId, parentId, name });
    if (existing?.is_folder) {
      // A folder made inside an archived one would be a writable island in a read-only tree.
      ensureNodeIsWritable(existing);
      parentId = existing.id;
      continue;
    }
    const created = await insertNodeWithFreeName({
      db: trx,
      node: { ownerId, parentId, name, isFolder: true, contentType: FOLDER_CONTENT_TYPE },
      insert: insertNodeUnlessNameTaken,
    });
    parentId = created.id;
  }
  return parentId;
};

/**
 * Deletes trash batches for good, the files' versions with them: rows and usage now, blobs by a
 * job once this commits.
 */
const purgeBatches = async ({
  db,
  ownerId,
  batchIds,
}: { db: Db } & { ownerId: string; batchIds: string[] }) =>
  db.transaction().execute(async (trx) => {
    const versions = await deleteVersionsInTrashBatches(trx, { ownerId, batchIds });
    const { files, roots } = await deleteTrashBatches(trx, { ownerId, batchIds });
    const bytes = files.reduce((sum, file) => sum + file.size, 0);
    const versionBytes = versions.reduce((sum, version) => sum + version.size, 0);
    await releaseUsage(trx, { userId: ownerId, bytes: bytes + versionBytes, files: files.length });
    await enqueueBlobDeletion({
      db: trx,
      keys: [...files, ...versions].map((each) => each.blob_key),
    });
    const now = new Date();
    return {
      files: files.length,
      bytes,
      // Every open tab showing the trash drops these items, whoever purged them.
      events: roots.map((root) => toNodeEvent(root, 'deleted', { at: now })),
    };
  });

export const purgeTrashItem = async ({
  ownerId,
  id,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache'> & { ownerId: string; id: string }) => {
  const item = /^[0-9a-f-]{36}$/i.test(id)
    ? await getTrashRoot(deps.db, { ownerId, id })
    : undefined;
  if (!item?.trash_batch_id) throw notFound('No such item in the trash.');
  const { events, ...result } = await purgeBatches({
    db: deps.db,
    ownerId,
    batchIds: [item.trash_batch_id],
  });
  await publishAll({ ...deps, list: events });
  return result;
};

export const emptyTrash = async ({
  db,
  cache,
  events,
  ownerId,
}: Pick<FilesDeps, 'db' | 'cache' | 'events'> & { ownerId: string }) => {
  const total = { files: 0, bytes: 0 };
  for (;;) {
    const batches = await listTrashBatchIds(db, { ownerId });
    if (batches.length === 0) return total;
    const result = await purgeBatches({
      db,
      ownerId,
      batchIds: batches.map((batch) => batch.batchId),
    });
    // Each committed step is told at once (the usage cache forgets it too), so a failure
    // half-way never leaves clients showing items that are gone.
    await publishAll({ events, cache, list: result.events });
    total.files += result.files;
    total.bytes += result.bytes;
  }
};

export const purgeExpiredTrash = async ({
  db,
  cache,
  events,
  trashRetentionDays,
  now,
}: Pick<FilesDeps, 'db' | 'cache' | 'events'> & {
  trashRetentionDays: number;
  now: Date;
}) => {
  const trashedBefore = new Date(now.getTime() - trashRetentionDays * 86_400_000);
  let purgedFiles = 0;
  for (;;) {
    const batches = await listTrashBatchIds(db, { trashedBefore });
    if (batches.length === 0) return { purgedFiles };
    const byOwner = new Map<string, string[]>();
    for (const { ownerId, batchId } of batches) {
      byOwner.set(ownerId, [...(byOwner.get(ownerId) ?? []), batchId]);
    }
    for (const [ownerId, batchIds] of byOwner) {
      const result = await purgeBatches({ db, ownerId, batchIds });
      await publishAll({ events, cache, list: result.events });
      purgedFiles += result.files;
    }
  }
};
