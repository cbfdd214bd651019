import { invalidRequest, isAppError } from '../../app/app-error.js';
import { getFolderArchiveStatus } from '../archive/archive.usecases.js';
import { pathSchema } from '@myfile/contract';
import { nameConflict } from '../nodes/nodes.errors.js';
import {
  ensureNodeIsWritable,
  normalizeName,
  splitPath,
  toNodeEvent,
} from '../nodes/nodes.models.js';
import {
  findLiveChildByName,
  getAncestors,
  insertNodeUnlessNameTaken,
} from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { getFolderOrThrow, publishAll, UUID, type FilesDeps } from '../nodes/nodes.usecases.js';
import { actorUserId, roleAllows, type Actor } from '../access/access.models.js';
import { authorizeNode, visiblePath } from '../access/access.usecases.js';
import {
  decodeChildrenCursor,
  encodeChildrenCursor,
  sortColumns,
  type ChildSort,
  type KeyValue,
  type SortOrder,
} from './folders.models.js';
import type { FolderPageCache } from './folders.page-cache.js';
import {
  childrenPage,
  pageRows,
  readableChildrenPage,
  renderedPage,
  renderedReadablePage,
  type ListedChild,
  type PageFolder,
  type PageStatement,
  type ReadablePageArgs,
} from './folders.repository.js';

export const createFolder = async ({
  actor,
  parentId,
  name: rawName,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  parentId: string;
  name: string;
}): Promise<NodeRow> => {
  const name = normalizeName(rawName);
  const parent = await getFolderOrThrow({ ...deps, actor, id: parentId, action: 'write' });
  ensureNodeIsWritable(parent);
  const folder = await insertNodeUnlessNameTaken(deps.db, {
    ownerId: parent.owner_id,
    parentId: parent.id,
    name,
    isFolder: true,
  });
  if (!folder) throw nameConflict(name);
  await publishAll({ ...deps, list: [toNodeEvent(folder, 'created')] });
  return folder;
};

/**
 * `mkdir -p`: each folder of `path` (relative to `parentId`) that is missing is created, each
 * that exists is gone through. A file in the way is a name conflict. `created` says whether
 * the last folder is new.
 */
export const createFolderPath = async ({
  actor,
  parentId,
  path,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  parentId: string;
  path: string;
}): Promise<{ folder: NodeRow; created: boolean }> => {
  const names = splitPath(path, 'name');
  if (names.length === 0) throw invalidRequest('A name cannot be empty.', 'name');
  let folder = await getFolderOrThrow({ ...deps, actor, id: parentId, action: 'read' });
  let created = false;
  for (const name of names) {
    const existing = await findLiveChildByName(deps.db, {
      ownerId: folder.owner_id,
      parentId: folder.id,
      name,
    });
    if (existing && !existing.is_folder) throw nameConflict(name);
    if (existing) {
      folder = existing;
      created = false;
      continue;
    }
    try {
      folder = await createFolder({ ...deps, actor, parentId: folder.id, name });
      created = true;
    } catch (error) {
      // Another request made the same folder a moment ago: use it.
      const raced = await findLiveChildByName(deps.db, {
        ownerId: folder.owner_id,
        parentId: folder.id,
        name,
      });
      if (!isAppError(error) || error.code !== 'name_conflict' || !raced?.is_folder) throw error;
      folder = raced;
      created = false;
    }
  }
  return { folder, created };
};

/** The folder itself is always read fresh (it may be archived or gone); its ancestors may be cached. */
export const getFolderWithBreadcrumb = async ({
  actor,
  id,
  ...deps
}: Pick<FilesDeps, 'db' | 'cache' | 'settings'> & { actor: Actor; id: string }) => {
  const { node: folder, role } =
    id === 'root'
      ? {
          node: await getFolderOrThrow({ ...deps, actor, id, action: 'read' }),
          role: 'owner' as const,
        }
      : await authorizeNode({ db: deps.db, actor, id, action: 'read', expect: 'folder' });
  const fullPath = await deps.cache.read({
    topic: 'breadcrumbs',
    userId: folder.owner_id,
    key: folder.id,
    schema: pathSchema,
    load: async () =>
      (await getAncestors(deps.db, { id: folder.id })).map(({ id: ancestorId, name }) => ({
        id: ancestorId,
        name,
      })),
  });
  // Cached per owner; a sharee is shown only the part from what was shared with them down.
  const breadcrumb = await visiblePath({ db: deps.db, actor, role, path: fullPath });
  return { folder, breadcrumb, role, ...(await getFolderArchiveStatus({ ...deps, folder })) };
};

const keyOf = (row: ListedChild, sort: ChildSort): KeyValue[] =>
  sortColumns[sort].map((column) => row[column]);

const READ_ROLES = (['owner', 'editor', 'viewer', 'uploader'] as const).filter((role) =>
  roleAllows(role, 'read'),
);

/** The folder a page is asked of: one's root by owner (made on first use), any other by id. */
const pageFolder = (actor: Actor, folderId: string): PageFolder | undefined => {
  if (folderId !== 'root') return UUID.test(folderId) ? { actor, id: folderId } : undefined;
  const userId = actorUserId(actor);
  return userId === null ? undefined : { rootOf: userId };
};

type PageArgs = Pick<FilesDeps, 'db' | 'settings'> & {
  actor: Actor;
  folderId: string;
  sort: ChildSort;
  order: SortOrder;
  limit: number;
  cursor?: string | undefined;
};

/**
 * One page of a folder, folders first: the folders range, then the files range. The cursor says
 * which range and where in it the next page starts. Only the folder's owner learns which items
 * are shared; a sharee or a link visitor sees every `shared` false.
 *
 * The folder's access check and its page are one statement (every listing pays one round trip,
 * not two); when that finds nothing, the check runs on its own, for its precise 404 or 403 or to
 * learn that the page is empty. `readable` reads the first (as rows, or rendered), `read` runs
 * the second's page statement the same way.
 */
const readFolderPage = async <Page extends { fetched: number }>(
  { actor, folderId, sort, order, limit, cursor: rawCursor, ...deps }: PageArgs,
  {
    readable: readReadable,
    read,
  }: {
    readable: (args: ReadablePageArgs) => Promise<Page>;
    read: (statement: PageStatement) => Promise<Page>;
  },
): Promise<Page> => {
  const cursor = rawCursor ? decodeChildrenCursor(rawCursor, { sort, order }) : undefined;
  const userId = actorUserId(actor);
  const page = {
    inFolders: cursor?.folders ?? true,
    sort,
    order,
    after: cursor?.after ?? null,
    limit: limit + 1,
  };
  const folder = pageFolder(actor, folderId);
  const readable = folder
    ? await readReadable({ ...page, folder, readRoles: READ_ROLES, actorId: userId })
    : undefined;
  if (readable && readable.fetched > 0) return readable;
  const checked = await getFolderOrThrow({ ...deps, actor, id: folderId, action: 'read' });
  return read(
    childrenPage(deps.db, {
      ...page,
      parentId: checked.id,
      sharedBy: userId !== null && userId === checked.owner_id ? userId : undefined,
    }),
  );
};

// A page that ends with the last folder leaves the next one an empty folders range first.
const nextCursorOf = (
  { sort, order }: Pick<PageArgs, 'sort' | 'order'>,
  last: { isFolder: boolean; values: KeyValue[]; id: string } | null,
) =>
  last
    ? encodeChildrenCursor({
        sort,
        order,
        folders: last.isFolder,
        after: { values: last.values, id: last.id },
      })
    : null;

/** A folder page as rows, for answers that shape each item themselves (a link's visitor). */
export const listFolderChildren = async (args: PageArgs) => {
  const rowsOf = async (statement: PageStatement) => {
    const fetched = await pageRows(args.db, statement);
    return { rows: fetched, fetched: fetched.length };
  };
  const { rows } = await readFolderPage(args, {
    readable: (readable) => rowsOf(readableChildrenPage(args.db, readable)),
    read: rowsOf,
  });
  const items = rows.slice(0, args.limit);
  const last = rows.length > args.limit ? items.at(-1) : undefined;
  return {
    items,
    nextCursor: nextCursorOf(
      args,
      last ? { isFolder: last.is_folder, values: keyOf(last, args.sort), id: last.id } : null,
    ),
  };
};

/**
 * A folder page's answer as JSON (its UTF-8 bytes), the items written by the database: for the
 * owner's and a sharee's listing, the busiest read there is. Kept in `pages` when the process has
 * one. `args` is used as given: a rest pattern would copy all of it again on every page read.
 */
export const renderFolderChildren = async (
  args: PageArgs & { pages: FolderPageCache | null },
): Promise<Buffer> => {
  const { pages } = args;
  const render = async () => {
    const page = await readFolderPage(args, {
      readable: (readable) => renderedReadablePage(args.db, readable, args.limit),
      read: (statement) => renderedPage(args.db, statement, args),
    });
    const nextCursor = nextCursorOf(args, page.last);
    return Buffer.from(`{"items":${page.itemsJson},"nextCursor":${JSON.stringify(nextCursor)}}`);
  };
  const actorId = actorUserId(args.actor);
  if (!pages || actorId === null) return render();
  const { folderId, sort, order, limit, cursor } = args;
  return pages.read({ actorId, folderId, sort, order, limit, cursor }, render);
};
