import type { ShareDto, ShareRoleDto, SharedByMeItemDto, SharedItemDto } from '@myfile/contract';
import { api } from '../api/http.js';

const id = (value: string) => encodeURIComponent(value);

export const sharesQueryKey = (nodeId: string) => ['shares', nodeId] as const;

export const fetchShares = (nodeId: string) =>
  api<{ items: ShareDto[] }>(`/api/nodes/${id(nodeId)}/shares`);

export const shareWithPerson = (nodeId: string, email: string, role: ShareRoleDto) =>
  api<ShareDto>(`/api/nodes/${id(nodeId)}/shares`, { method: 'POST', body: { email, role } });

export const changeShareRole = (shareId: string, role: ShareRoleDto) =>
  api<ShareDto>(`/api/shares/${id(shareId)}`, { method: 'PATCH', body: { role } });

export const revokeShare = (shareId: string) =>
  api<undefined>(`/api/shares/${id(shareId)}`, { method: 'DELETE' });

export const SHARED_PAGE_SIZE = 50;

const pageQuery = (cursor: string | null) => {
  const query = new URLSearchParams({ limit: String(SHARED_PAGE_SIZE) });
  if (cursor) query.set('cursor', cursor);
  return query;
};

export const fetchSharedWithMe = (cursor: string | null) =>
  api<{ items: SharedItemDto[]; nextCursor: string | null }>(
    `/api/shared-with-me?${pageQuery(cursor)}`,
  );

export const fetchSharedByMe = (cursor: string | null) =>
  api<{ items: SharedByMeItemDto[]; nextCursor: string | null }>(
    `/api/shared-by-me?${pageQuery(cursor)}`,
  );
