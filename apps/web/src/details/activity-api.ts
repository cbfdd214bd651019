import type { ActivityPage } from '@myfile/contract';
import { api } from '../api/http.js';

export const activityQueryKey = (nodeId: string) => ['activity', nodeId] as const;

export const fetchActivityPage = (nodeId: string, cursor: string | null) => {
  const query = new URLSearchParams({ limit: '20' });
  if (cursor) query.set('cursor', cursor);
  return api<ActivityPage>(`/api/nodes/${encodeURIComponent(nodeId)}/activity?${query}`);
};
