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

/** A bulk answer's first failure, as one sentence for the whole action. */
const throwFirstFailure = (result: BulkResult, verb: string) => {
  const failed = result.results.filter((item) => !item.ok);
  const first = failed[0];
  if (!first) return;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more could not be ${verb})` : '';
  throw new ApiError({
    status: 409,
    code: 'conflict',
    message: `${first.error?.message ?? `An item could not be ${verb}.`}${more}`,
  });
};

export const moveNodes = async (ids: string[], targetFolderId: string) =>
  throwFirstFailure(
    await api<BulkResult>('/api/bulk/move', { method: 'POST', body: { ids, targetFolderId } }),
    'moved',
  );

export const trashNodes = async (ids: string[]) =>
  throwFirstFailure(
    await api<BulkResult>('/api/bulk/delete', { method: 'POST', body: { ids } }),
    'deleted',
  );

export const contentUrl = (id: string, inline = false) =>
  `/api/files/${encodeURIComponent(id)}/content${inline ? '?inline=1' : ''}`;
