import type { SearchPage } from '@myfile/contract';
import { api } from '../api/http.js';

/** The search parameters the page keeps in its URL, passed through to the API as they are. */
export const SEARCH_PARAMS = [
  'q',
  'kind',
  'modifiedAfter',
  'modifiedBefore',
  'minSize',
  'maxSize',
  'in',
  'includeTrash',
] as const;

export const fetchSearchPage = (params: URLSearchParams, cursor: string | null) => {
  const query = new URLSearchParams({ limit: '50' });
  for (const name of SEARCH_PARAMS) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  if (cursor) query.set('cursor', cursor);
  return api<SearchPage>(`/api/search?${query}`);
};
