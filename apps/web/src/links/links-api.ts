import type {
  ChildrenPage,
  CreateLinkBody,
  CreatedLinkDto,
  LinkUrlDto,
  LinkVisitDto,
  ShareLinkDto,
} from '@myfile/contract';
import { getCsrfToken } from '../api/http.js';
import { api } from '../api/http.js';
import { networkError, toApiError } from '../api/api-error.js';

const id = (value: string) => encodeURIComponent(value);

export const linksQueryKey = (nodeId: string) => ['links', nodeId] as const;

export const fetchLinks = (nodeId: string) =>
  api<{ items: ShareLinkDto[] }>(`/api/nodes/${id(nodeId)}/links`);

export const createLink = (nodeId: string, body: CreateLinkBody) =>
  api<CreatedLinkDto>(`/api/nodes/${id(nodeId)}/links`, { method: 'POST', body });

/** The owner's own link again, to copy; 409 `link_not_copyable` for links made before. */
export const fetchLinkUrl = (linkId: string) => api<LinkUrlDto>(`/api/links/${id(linkId)}/url`);

export const revokeLink = (linkId: string) =>
  api<ShareLinkDto>(`/api/links/${id(linkId)}`, { method: 'DELETE' });

/** Everything a visitor asks goes under the link's own path, where its cookie is sent. */
export const linkApiPath = (token: string, rest = '') => `/api/s/${id(token)}${rest}`;

export const fetchLinkVisit = (token: string) => api<LinkVisitDto>(linkApiPath(token));

/**
 * Unlocking answers a CSRF token bound to the link's cookie; later unsafe requests (a drop-box
 * upload) send it. `api()` would send the app's session token instead, which a signed-out
 * visitor does not have.
 */
export const unlockLink = (token: string, password: string) =>
  api<{ csrfToken: string; expiresAt: string }>(linkApiPath(token, '/unlock'), {
    method: 'POST',
    body: { password },
  });

export const fetchLinkChildren = (token: string, folderId: string, cursor: string | null) => {
  const query = new URLSearchParams({ limit: '100' });
  if (cursor) query.set('cursor', cursor);
  return api<ChildrenPage>(linkApiPath(token, `/folders/${id(folderId)}/children?${query}`));
};

export const linkContentUrl = (token: string, fileId: string) =>
  linkApiPath(token, `/files/${id(fileId)}/content`);

export const linkZipUrl = (token: string, folderId: string) =>
  linkApiPath(token, `/folders/${id(folderId)}/zip`);

/** Drops files into a drop-box link; the answer says only how many arrived. */
export const uploadToLink = async (
  token: string,
  folderId: string,
  files: readonly File[],
  csrfToken: string | null,
) => {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(linkApiPath(token, `/folders/${id(folderId)}/files`), {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken ?? (await getCsrfToken()) },
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as { uploaded: number };
};
