import type {
  BulkResult,
  ChildSort,
  ChildrenPage,
  FolderWithBreadcrumb,
  NodeDto,
  SortOrder,
} from '@myfile/contract';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/http.js';
import { t } from '../i18n/i18n.js';

export const PAGE_SIZE = 200;

export const fetchFolder = (id: string) =>
  api<FolderWithBreadcrumb>(`/api/folders/${encodeURIComponent(id)}`);

export const fetchChildren = (
  folderId: string,
  { sort, order, cursor }: { sort: ChildSort; order: SortOrder; cursor: string | null },
) => {
  const query = new URLSearchParams({ sort, order, limit: String(PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  return api<ChildrenPage>(`/api/folders/${encodeURIComponent(folderId)}/children?${query}`);
};

export const createFolder = (parentId: string, name: string) =>
  api<NodeDto>('/api/folders', { method: 'POST', body: { name, parentId } });

const nodePath = (node: Pick<NodeDto, 'id' | 'kind'>) =>
  `/api/${node.kind === 'folder' ? 'folders' : 'files'}/${encodeURIComponent(node.id)}`;

export const renameNode = (node: Pick<NodeDto, 'id' | 'kind'>, name: string) =>
  api<NodeDto>(nodePath(node), { method: 'PATCH', body: { name } });

export const copyFile = (id: string, targetFolderId: string) =>
  api<NodeDto>(`/api/files/${encodeURIComponent(id)}/copy`, {
    method: 'POST',
    body: { targetFolderId },
  });

/** The server takes at most this many ids per bulk request. */
export const BULK_BATCH = 1000;

export type BulkItem = BulkResult['results'][number];

/**
 * A bulk action on any number of items, as consecutive requests of at most BULK_BATCH ids;
 * `onProgress` hears how many are done after each.
 */
const inBatches = async (
  path: string,
  ids: readonly string[],
  extra: Record<string, string>,
  onProgress: (done: number) => void,
): Promise<BulkItem[]> => {
  const results: BulkItem[] = [];
  for (let start = 0; start < ids.length; start += BULK_BATCH) {
    const batch = ids.slice(start, start + BULK_BATCH);
    const answer = await api<BulkResult>(path, { method: 'POST', body: { ids: batch, ...extra } });
    results.push(...answer.results);
    onProgress(Math.min(start + BULK_BATCH, ids.length));
  }
  return results;
};

const failureTexts = {
  moved: ['files.failures.moved', 'files.failures.moreMoved'],
  movedBack: ['files.failures.movedBack', 'files.failures.moreMovedBack'],
  deleted: ['files.failures.deleted', 'files.failures.moreDeleted'],
} as const;

/** The failures of a bulk answer, as one sentence for the whole action. */
export const throwFailures = (results: readonly BulkItem[], action: keyof typeof failureTexts) => {
  const failed = results.filter((item) => !item.ok);
  const first = failed[0];
  if (!first) return;
  const [one, more] = failureTexts[action];
  const message = first.error?.message ?? t(one);
  throw new ApiError({
    status: 409,
    code: 'conflict',
    message: failed.length > 1 ? `${message} ${t(more, { count: failed.length - 1 })}` : message,
  });
};

export const moveNodes = (
  ids: readonly string[],
  targetFolderId: string,
  onProgress: (done: number) => void = () => {},
) => inBatches('/api/bulk/move', ids, { targetFolderId }, onProgress);

export const trashNodes = async (
  ids: readonly string[],
  onProgress: (done: number) => void = () => {},
) => throwFailures(await inBatches('/api/bulk/delete', ids, {}, onProgress), 'deleted');

/** Moves one item under another name (the server renames and moves in one change). */
export const moveRenamed = (node: Pick<NodeDto, 'id' | 'kind'>, parentId: string, name: string) =>
  api<NodeDto>(nodePath(node), { method: 'PATCH', body: { name, parentId } });

/** The ids of a folder's children with the given names, read a page of 1,000 at a time. */
export const findChildrenByName = async (folderId: string, names: ReadonlySet<string>) => {
  const found = new Map<string, NodeDto>();
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ sort: 'name', order: 'asc', limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const page: ChildrenPage = await api<ChildrenPage>(
      `/api/folders/${encodeURIComponent(folderId)}/children?${query}`,
    );
    for (const node of page.items) if (names.has(node.name)) found.set(node.name, node);
    cursor = page.nextCursor;
  } while (cursor && found.size < names.size);
  return found;
};

/** "report.txt" → "report (2).txt": the next name to try when keeping both. */
export const numberedName = (name: string, n: number) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
};

export const contentUrl = (id: string, inline = false) =>
  `/api/files/${encodeURIComponent(id)}/content${inline ? '?inline=1' : ''}`;

/** The folder as a streamed zip; the browser saves it under the name the server gives. */
export const folderZipUrl = (id: string) => `/api/folders/${encodeURIComponent(id)}/zip`;
