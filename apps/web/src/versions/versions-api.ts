import type { FileVersionList, NodeDto } from '@myfile/contract';
import { api } from '../api/http.js';

const id = (value: string) => encodeURIComponent(value);

export const versionsQueryKey = (fileId: string) => ['versions', fileId] as const;

export const fetchVersions = (fileId: string) =>
  api<FileVersionList>(`/api/files/${id(fileId)}/versions`);

export const versionContentUrl = (fileId: string, versionId: string) =>
  `/api/files/${id(fileId)}/versions/${id(versionId)}/content`;

export const restoreVersion = (fileId: string, versionId: string) =>
  api<NodeDto>(`/api/files/${id(fileId)}/versions/${id(versionId)}/restore`, { method: 'POST' });

export const deleteVersion = (fileId: string, versionId: string) =>
  api<undefined>(`/api/files/${id(fileId)}/versions/${id(versionId)}`, { method: 'DELETE' });
