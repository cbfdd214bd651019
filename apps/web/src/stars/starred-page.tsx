import { formatBytes, formatDate } from '../api/format.js';
import { useTranslation } from '../i18n/i18n.js';
import { NodeListPage } from '../ui/node-list-page.js';
import { useCursorPages } from '../ui/paged-list.js';
import { StarButton } from './star-button.js';
import { fetchStarred, starredQueryKey } from './stars-api.js';

/** Everything I starred, newest star first; a folder opens, a file previews. */
export const StarredPage = () => {
  const { t } = useTranslation();
  return (
    <NodeListPage
      title={t('stars.title')}
      pages={useCursorPages(starredQueryKey, fetchStarred)}
      label={t('stars.label')}
      empty={t('stars.empty')}
      itemKey={(item) => item.id}
      describe={(item) => (
        <>
          {t('stars.starredAt', { date: formatDate(item.starredAt) })}
          {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
        </>
      )}
      actions={(item) => <StarButton node={item} starred />}
    />
  );
};
