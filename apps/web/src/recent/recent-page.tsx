import type { RecentPage as RecentPageDto } from '@myfile/contract';
import { Link } from 'react-router';
import { formatBytes, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { useTranslation } from '../i18n/i18n.js';
import { NodeListPage } from '../ui/node-list-page.js';
import { useCursorPages } from '../ui/paged-list.js';

const fetchRecent = (cursor: string | null) => {
  const query = new URLSearchParams({ limit: '50' });
  if (cursor) query.set('cursor', cursor);
  return api<RecentPageDto>(`/api/recent?${query}`);
};

/** Files I uploaded, changed or opened, newest first. */
export const RecentPage = () => {
  const { t } = useTranslation();
  return (
    <NodeListPage
      title={t('recent.title')}
      pages={useCursorPages(['recent'], fetchRecent)}
      label={t('recent.label')}
      empty={t('recent.empty')}
      itemKey={(item) => item.id}
      describe={(item) => (
        <>
          {t(item.reason === 'opened' ? 'recent.opened' : 'recent.changed', {
            date: formatDate(item.at),
          })}{' '}
          · {formatBytes(item.size)}
        </>
      )}
      actions={(item) =>
        item.parentId && item.path.length > 0 ? (
          <Link to={folderUrl(item.parentId)} className="small">
            {t('recent.openFolder')}
          </Link>
        ) : null
      }
    />
  );
};
