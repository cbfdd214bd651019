import { useInfiniteQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/api-error.js';
import { useTranslation } from '../i18n/i18n.js';

type Page<T> = { items: T[]; nextCursor: string | null };

/** A newest-first list the API pages with a cursor, fetched a page at a time. */
export const useCursorPages = <T,>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
) => {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  return { query, items: query.data?.pages.flatMap((page) => page.items) ?? [] };
};

type Pages<T> = ReturnType<typeof useCursorPages<T>>;

/** Loading, or the error with "Try again": what a paged list shows before or instead of rows. */
export const PageStatus = <T,>({
  query,
  className = '',
}: {
  query: Pages<T>['query'];
  className?: string;
}) => {
  const { t } = useTranslation();
  return (
    <>
      {query.isError && (
        <p role="alert" className={className}>
          {errorMessage(query.error)}{' '}
          <button type="button" className="link-button" onClick={() => void query.refetch()}>
            {t('common.tryAgain')}
          </button>
        </p>
      )}
      {query.isPending && (
        <p role="status" className={`muted ${className}`.trim()}>
          {t('common.loading')}
        </p>
      )}
    </>
  );
};

/** "Show more" while the API has another page. */
export const ShowMore = <T,>({ query }: { query: Pages<T>['query'] }) => {
  const { t } = useTranslation();
  return query.hasNextPage ? (
    <button
      type="button"
      className="button"
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {t('common.showMore')}
    </button>
  ) : null;
};

/**
 * The states every such list shows the same way: the error with "Try again", loading, empty,
 * the rows, and "Show more" while the API has another page.
 */
export const PagedList = <T,>({
  pages: { query, items },
  label,
  empty,
  itemKey,
  renderItem,
}: {
  pages: Pages<T>;
  label: string;
  empty: string;
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
}) => (
  <>
    <PageStatus query={query} />
    {query.isSuccess && items.length === 0 && <p>{empty}</p>}
    {items.length > 0 && (
      <ul className="item-list" aria-label={label}>
        {items.map((item) => (
          <li key={itemKey(item)} className="item-row">
            {renderItem(item)}
          </li>
        ))}
      </ul>
    )}
    <ShowMore query={query} />
  </>
);
