import type { Readable } from 'node:stream';
import type { DomainEvent } from '@myfile/contract';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import type { Db } from '../../db/database.js';
import { createFolder } from '../folders/folders.usecases.js';
import { fileArchived, moveIntoItself, nameConflict } from '../nodes/nodes.errors.js';
import { ensureNodeIsWritable, normalizeName, toNodeEvent } from '../nodes/nodes.models.js';
import {
  findLiveChildByName,
  insertNodeUnlessNameTaken,
  isSameOrDescendant,
  listLiveChildrenAfter,
  moveNode,
  renameNode,
} from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import {
  createFileRow,
  getNodeOrThrow,
  publishAll,
  rethrowNameConflict,
  type FilesDeps,
} from '../nodes/nodes.usecases.js';
import { enqueueThumbnailIfPending } from '../thumbnails/thumbnails.jobs.js';
import { enqueueTextExtraction } from '../search/search.extract-job.js';
import { initialThumbnailState } from '../thumbnails/thumbnails.models.js';
import { trashNode, trashNodeInTransaction } from '../trash/trash.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';
import { actorUserId, type Actor } from '../access/access.models.js';
import { setActivityActor } from '../activity/activity.repository.js';
import type { DavTarget } from './webdav.access.js';
import { conflict, forbiddenHere, methodNotAllowed, preconditionFailed } from './webdav.errors.js';
import type { PropPatchOperation } from './webdav.bodies.js';
import { davEtagOf, isLiveProperty } from './webdav.properties.js';
import { copyDeadProperties, removeDeadProperty, setDeadProperty } from './webdav.repository.js';

type Deps = Pick<FilesDeps, 'db' | 'blobStorage' | 'events' | 'cache' | 'settings'>;

/** The folder a new name at `target` goes into: it must exist and be a folder (else 409). */
const parentFolderOf = (target: DavTarget) => {
  if (!target.parent?.is_folder || target.chain.length < target.names.length) {
    throw conflict('The parent folder does not exist.');
  }
  return target.parent;
};

const lastName = (target: DavTarget) => normalizeName(target.names.at(-1) ?? '');

/** If-Match / If-None-Match (RFC 9110 §13) against `node` (undefined: nothing there). */
export const checkPreconditions = (
  node: NodeRow | undefined,
  { ifMatch, ifNoneMatch }: { ifMatch?: string | undefined; ifNoneMatch?: string | undefined },
) => {
  const matches = (header: string) =>
    header.trim() === '*'
      ? node !== undefined
      : node !== undefined &&
        header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === davEtagOf(node));
  if (ifMatch !== undefined && !matches(ifMatch)) {
    throw preconditionFailed('If-Match did not match the current resource.');
  }
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) {
    throw preconditionFailed('If-None-Match matched the current resource.');
  }
};

/**
 * PUT: the body streams through the same upload path as the REST API (SHA-256, sniffing, the
 * size limit and the quota enforced while streaming, the row committed atomically). An
 * existing file keeps its id and gets new bytes.
 */
export const putFile = async ({
  target,
  body,
  declaredSize,
  ifNoneMatchAny,
  ...deps
}: Deps & {
  target: DavTarget;
  body: Readable;
  declaredSize: number | undefined;
  /** `If-None-Match: *`: create only; the unique name index settles a race. */
  ifNoneMatchAny: boolean;
}) => {
  if (target.node?.is_folder) throw methodNotAllowed('A folder cannot be overwritten by PUT.');
  const parent = parentFolderOf(target);
  try {
    const file = await uploadFile({
      ...deps,
      actor: target.actor,
      folderId: parent.id,
      name: lastName(target),
      onConflict: ifNoneMatchAny ? 'fail' : 'replace',
      body,
      declaredSize,
    });
    return { file, created: target.node === undefined };
  } catch (error) {
    if (ifNoneMatchAny && (error as { code?: unknown }).code === 'name_conflict') {
      throw preconditionFailed('If-None-Match: * and the resource exists.');
    }
    throw error;
  }
};

export const makeCollection = async ({ target, ...deps }: Deps & { target: DavTarget }) => {
  if (target.node) throw methodNotAllowed('Something already exists at this path.');
  const parent = parentFolderOf(target);
  return createFolder({
    ...deps,
    actor: target.actor,
    parentId: parent.id,
    name: lastName(target),
  });
};

/** DELETE moves the node, with everything below it, to the trash, where it can be restored. */
export const deleteToTrash = async ({ target, ...deps }: Deps & { target: DavTarget }) => {
  const node = target.node;
  if (!node) throw conflict('Nothing to delete.');
  if (node.is_root) throw forbiddenHere('The root folder cannot be deleted.');
  await trashNode({ ...deps, actor: target.actor, id: node.id, recursive: true });
};

type Transfer = {
  source: DavTarget;
  destination: DavTarget;
  overwrite: boolean;
};

/** The checks COPY and MOVE share; returns the source node, the new parent and the new name. */
const planTransfer = ({ source, destination }: Transfer) => {
  const node = source.node;
  if (!node) throw conflict('The source does not exist.');
  if (node.is_root) throw forbiddenHere('The root folder cannot be copied or moved.');
  const parent = parentFolderOf(destination);
  const name = lastName(destination);
  if (destination.node?.id === node.id && name === node.name) {
    throw forbiddenHere('The source and the destination are the same resource.');
  }
  // Overwriting a folder the source lives in would trash the source with it.
  if (destination.node && source.chain.some((ancestor) => ancestor.id === destination.node?.id)) {
    throw forbiddenHere('The destination contains the source.');
  }
  return { node, parent, name };
};

/**
 * Trashes what is at the destination (Overwrite: T) inside the caller's transaction, so a
 * failure later in the same transaction puts it back. Overwrite: F and something there → 412.
 */
const clearDestination = async ({
  db,
  ownerId,
  parentId,
  name,
  keepId,
  overwrite,
}: {
  db: Db;
  ownerId: string;
  parentId: string;
  name: string;
  keepId?: string;
  overwrite: boolean;
}): Promise<DomainEvent | undefined> => {
  const existing = await findLiveChildByName(db, { ownerId, parentId, name });
  if (!existing || existing.id === keepId) return undefined;
  if (!overwrite) throw preconditionFailed('The destination exists and Overwrite is F.');
  return trashNodeInTransaction({ db, node: existing });
};

/**
 * MOVE: a rename and/or a move of the same node (its id, its history and its properties stay),
 * with the overwritten destination trashed in the same transaction.
 */
export const moveResource = async ({ ...transfer }: Deps & Transfer) => {
  const { source, overwrite, db } = transfer;
  const { node, parent, name } = planTransfer(transfer);
  const ownerId = source.ownerId;
  const { row, events, replaced } = await db
    .transaction()
    .execute(async (trx) => {
      await setActivityActor(trx, actorUserId(source.actor));
      const current = await getNodeOrThrow({
        db: trx,
        actor: source.actor,
        id: node.id,
        action: 'write',
      });
      ensureNodeIsWritable(current);
      ensureNodeIsWritable(
        await getNodeOrThrow({ db: trx, actor: source.actor, id: parent.id, action: 'write' }),
      );
      const moving = parent.id !== current.parent_id;
      if (
        moving &&
        current.is_folder &&
        (await isSameOrDescendant(trx, { folderId: current.id, candidateId: parent.id }))
      ) {
        throw moveIntoItself();
      }
      const trashed = await clearDestination({
        db: trx,
        ownerId,
        parentId: parent.id,
        name,
        keepId: current.id,
        overwrite,
      });
      const updated = moving
        ? await moveNode(trx, { ownerId, id: current.id, parentId: parent.id, name })
        : await renameNode(trx, { ownerId, id: current.id, name });
      const moved = toNodeEvent(
        updated,
        moving ? 'moved' : 'updated',
        moving ? { previousParentId: current.parent_id } : {},
      );
      return { row: updated, events: trashed ? [trashed, moved] : [moved], replaced: !!trashed };
    })
    .catch(rethrowNameConflict(name));
  await publishAll({ ...transfer, list: events });
  return { node: row, replaced };
};

/** COPY of a file or (Depth: infinity) a folder with everything below it, or (0) the folder alone. */
export const copyResource = async ({
  depth,
  ...transfer
}: Deps & Transfer & { depth: 0 | 'infinity' }) => {
  const { source, destination, overwrite } = transfer;
  const { node, parent, name } = planTransfer(transfer);
  if (node.is_folder && destination.chain.some((ancestor) => ancestor.id === node.id)) {
    throw conflict('A folder cannot be copied into itself.');
  }
  const ownerId = source.ownerId;
  const first = await copyOne({
    ...transfer,
    actor: source.actor,
    ownerId,
    node,
    parentId: parent.id,
    name,
    overwrite,
  });
  if (node.is_folder && depth === 'infinity') {
    await copyChildren({
      ...transfer,
      actor: source.actor,
      ownerId,
      from: node.id,
      to: first.row.id,
    });
  }
  return { node: first.row, replaced: first.replaced };
};

const COPY_PAGE = 200;

const copyChildren = async ({
  actor,
  ownerId,
  from,
  to,
  ...deps
}: Deps & { actor: Actor; ownerId: string; from: string; to: string }) => {
  let afterKey: string | null = null;
  for (;;) {
    const children = await listLiveChildrenAfter(deps.db, {
      parentId: from,
      afterKey,
      limit: COPY_PAGE,
    });
    for (const child of children) {
      const copy = await copyOne({
        ...deps,
        actor,
        ownerId,
        node: child,
        parentId: to,
        name: child.name,
        overwrite: false,
      });
      if (child.is_folder)
        await copyChildren({ ...deps, actor, ownerId, from: child.id, to: copy.row.id });
    }
    if (children.length < COPY_PAGE) return;
    afterKey = children.at(-1)?.name_key ?? null;
  }
};

/** One node: a folder row, or a file's blob copied in the store (server-side on S3) and its row. */
const copyOne = async ({
  actor,
  ownerId,
  node,
  parentId,
  name,
  overwrite,
  ...deps
}: Deps & {
  actor: Actor;
  ownerId: string;
  node: NodeRow;
  parentId: string;
  name: string;
  overwrite: boolean;
}): Promise<{ row: NodeRow; replaced: boolean }> => {
  let blobKey: string | null = null;
  if (!node.is_folder) {
    if (node.storage_state !== 'hot' || !node.blob_key) throw fileArchived();
    blobKey = createBlobKey();
    await deps.blobStorage.copy({ fromKey: node.blob_key, toKey: blobKey });
  }
  try {
    const { row, events } = await deps.db
      .transaction()
      .execute(async (trx) => {
        await setActivityActor(trx, actorUserId(actor));
        ensureNodeIsWritable(
          await getNodeOrThrow({ db: trx, actor, id: parentId, action: 'write' }),
        );
        const trashed = await clearDestination({ db: trx, ownerId, parentId, name, overwrite });
        const inserted = blobKey
          ? await createFileRow({
              db: trx,
              file: {
                ownerId,
                parentId,
                name,
                size: node.size,
                contentType: node.content_type,
                sha256: node.sha256,
                blobKey,
                thumbnailState: initialThumbnailState(deps.settings.thumbnails, {
                  contentType: node.content_type,
                  size: node.size,
                }),
              },
              onConflict: 'fail',
            })
          : await insertNodeUnlessNameTaken(trx, { ownerId, parentId, name, isFolder: true });
        if (!inserted) throw nameConflict(name);
        await enqueueThumbnailIfPending({ db: trx, file: inserted });
        await enqueueTextExtraction({
          db: trx,
          file: inserted,
          settings: { maxBytes: deps.settings.contentSearchMaxBytes },
        });
        await copyDeadProperties(trx, { fromId: node.id, toId: inserted.id });
        const created = toNodeEvent(inserted, 'created');
        return { row: inserted, events: trashed ? [trashed, created] : [created] };
      })
      .catch(rethrowNameConflict(name));
    await publishAll({ ...deps, list: events });
    return { row, replaced: events.length > 1 };
  } catch (error) {
    if (blobKey) await deps.blobStorage.delete({ key: blobKey }).catch(() => undefined);
    throw error;
  }
};

/**
 * PROPPATCH: every instruction or none (RFC 4918 §9.2). Live properties are protected: asking
 * to change one fails it with 403 and everything else in the request with 424.
 */
export const patchProperties = async ({
  db,
  target,
  operations,
}: Pick<Deps, 'db'> & { target: DavTarget; operations: PropPatchOperation[] }) => {
  const node = target.node;
  if (!node) throw conflict('Nothing exists at this path.');
  const nameOf = (operation: PropPatchOperation) =>
    operation.kind === 'set' ? operation.property : operation.name;
  const refused = operations.filter((operation) => isLiveProperty(nameOf(operation)));
  if (refused.length > 0) {
    return operations.map((operation) => ({
      name: nameOf(operation),
      status: refused.includes(operation) ? 403 : 424,
    }));
  }
  await db.transaction().execute(async (trx) => {
    ensureNodeIsWritable(
      await getNodeOrThrow({ db: trx, actor: target.actor, id: node.id, action: 'write' }),
    );
    for (const operation of operations) {
      if (operation.kind === 'set') {
        await setDeadProperty(trx, { nodeId: node.id, property: operation.property });
      } else {
        await removeDeadProperty(trx, { nodeId: node.id, ...operation.name });
      }
    }
  });
  return operations.map((operation) => ({ name: nameOf(operation), status: 200 }));
};
