import type { SearchHit, SearchPage as SearchPageDto, SnippetDto } from '@myfile/contract';
import { Link, useSearchParams } from 'react-router';
import { formatBytes } from '../api/format.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';
import { StarButton } from '../stars/star-button.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { fetchSearchPage } from './search-api.js';
import { SearchFilters } from './search-filters.js';
import { useTitle } from '../ui/use-title.js';
import { useTranslation } from '../i18n/i18n.js';

/** Text parts rendered as text (React escapes them); matched words in <mark>. */
const Snippet = ({ parts }: { parts: SnippetDto }) => (
  <span className="search-snippet small">
    {parts.map((part, index) =>
      part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
    )}
  </span>
);

const Hit = ({ item }: { item: SearchHit }) => {
  const { t } = useTranslation();
  // The API's path leaves out the root folder.
  const where = [t('files.myFiles'), ...item.path.map((crumb) => crumb.name)].join(' / ');
  const about = [
    t('search.inFolder', { where }),
    item.kind === 'file' ? formatBytes(item.size) : '',
    item.trashed ? t('search.inTrash') : '',
    item.storageState === 'archived' ? t('search.archived') : '',
  ];
  return (
    <>
      <NodeIcon node={item} />
      <div className="item-main">
        {item.trashed ? (
          <span className="node-name">{item.name}</span>
        ) : (
          <Link
            to={
              item.kind === 'folder'
                ? folderUrl(item.id)
                : `${folderUrl(item.parentId ?? 'root')}?open=${encodeURIComponent(item.id)}`
            }
            className="node-name"
          >
            {item.name}
          </Link>
        )}
        <span className="muted small">{about.filter(Boolean).join(' · ')}</span>
        {item.snippet && <Snippet parts={item.snippet} />}
      </div>
      {!item.trashed && <StarButton node={item} starred={item.starred} />}
    </>
  );
};

export const SearchPage = () => {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const q = params.get('q')?.trim() ?? '';
  useTitle(q ? t('search.titleFor', { q }) : t('search.title'));
  const results = useCursorPages(['search', params.toString()], (cursor) =>
    q
      ? fetchSearchPage(params, cursor)
      : Promise.resolve<SearchPageDto>({
          items: [],
          nextCursor: null,
          total: 0,
          totalIsExact: true,
        }),
  );
  const first = results.query.data?.pages[0] as SearchPageDto | undefined;
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{q ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      {!q && <p>{t('search.hint')}</p>}
      {q && <SearchFilters key={params.toString()} />}
      {q && first && (
        <p role="status" className="muted">
          {t(first.totalIsExact ? 'search.found' : 'search.moreThan', { n: first.total })}
        </p>
      )}
      {q && (
        <PagedList
          pages={results}
          label={t('search.results')}
          empty={t('search.empty')}
          itemKey={(item) => item.id}
          renderItem={(item) => <Hit item={item} />}
        />
      )}
    </section>
  );
};
