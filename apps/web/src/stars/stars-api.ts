import type { StarredIds, StarredPage, StarState } from '@myfile/contract';
import { api } from '../api/http.js';

const id = (value: string) => encodeURIComponent(value);

export const starredQueryKey = ['starred'] as const;

export const fetchStarred = (cursor: string | null) => {
  const query = new URLSearchParams({ limit: '50' });
  if (cursor) query.set('cursor', cursor);
  return api<StarredPage>(`/api/stars?${query}`);
};

export const starNode = (nodeId: string) =>
  api<undefined>(`/api/stars/${id(nodeId)}`, { method: 'PUT' });

export const unstarNode = (nodeId: string) =>
  api<undefined>(`/api/stars/${id(nodeId)}`, { method: 'DELETE' });

/** Under the starred list's key, so a toggle anywhere refreshes it too. */
export const starStateQueryKey = (nodeId: string) => [...starredQueryKey, 'state', nodeId] as const;

export const fetchStarState = (nodeId: string) => api<StarState>(`/api/stars/${id(nodeId)}`);

/** Under the starred list's key too: a star toggled anywhere redraws the folder's rows. */
export const starredInQueryKey = (folderId: string) =>
  [...starredQueryKey, 'in', folderId] as const;

export const fetchStarredIn = (folderId: string) =>
  api<StarredIds>(`/api/stars/in/${id(folderId)}`);
