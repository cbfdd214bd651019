import type { ChildSort, NodeDto, SortOrder } from '@myfile/contract';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchChildren } from './files-api.js';

export const childrenQueryKey = (folderId: string, sort: ChildSort, order: SortOrder) =>
  ['children', folderId, sort, order] as const;

/** Every loaded page of a folder, flattened; the next page is fetched on demand by the list. */
export const useFolderChildren = (folderId: string, sort: ChildSort, order: SortOrder) => {
  const query = useInfiniteQuery({
    queryKey: childrenQueryKey(folderId, sort, order),
    queryFn: ({ pageParam }) => fetchChildren(folderId, { sort, order, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = useMemo<NodeDto[]>(
    () => query.data?.pages.flatMap((page) => page.items) ?? [],
    [query.data],
  );
  return { ...query, items };
};
