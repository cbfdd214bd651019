import type { SearchPage as SearchPageDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { formatBytes } from '../api/format.js';
import { api } from '../api/http.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';

export const SearchPage = () => {
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const results = useQuery({
    queryKey: ['search', q],
    queryFn: () => api<SearchPageDto>(`/api/search?q=${encodeURIComponent(q)}&limit=100`),
    enabled: q.length > 0,
  });
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{q ? `Results for “${q}”` : 'Search'}</h1>
      {!q && <p>Type a name in the search box.</p>}
      {results.isPending && q && <p role="status">Searching…</p>}
      {results.isError && <p role="alert">{errorMessage(results.error)}</p>}
      {results.isSuccess && results.data.items.length === 0 && <p>Nothing is named like that.</p>}
      {results.isSuccess && results.data.items.length > 0 && (
        <ul className="item-list" aria-label="Search results">
          {results.data.items.map((item) => {
            // The API's path leaves out the root folder.
            const where = ['My files', ...item.path.map((crumb) => crumb.name)].join(' / ');
            return (
              <li key={item.id} className="item-row">
                <NodeIcon node={item} />
                <div className="item-main">
                  <Link
                    to={
                      item.kind === 'folder'
                        ? folderUrl(item.id)
                        : folderUrl(item.parentId ?? 'root')
                    }
                    className="node-name"
                  >
                    {item.name}
                  </Link>
                  <span className="muted small">
                    in {where}
                    {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
                  </span>
                </div>
                {item.kind === 'file' && (
                  <Link to={folderUrl(item.parentId ?? 'root')} className="small">
                    Open folder
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
};
