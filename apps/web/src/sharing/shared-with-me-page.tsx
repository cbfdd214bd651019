import { formatBytes, formatDate } from '../api/format.js';
import { contentUrl } from '../files/files-api.js';
import { useTranslation } from '../i18n/i18n.js';
import { NodeListPage } from '../ui/node-list-page.js';
import { useCursorPages } from '../ui/paged-list.js';
import { SessionLink } from '../ui/session-link.js';
import { fetchSharedWithMe } from './sharing-api.js';

/**
 * A virtual folder of everything other people shared with me, newest first, a page at a time.
 * A folder opens in the folder browser with my role there; a file previews or downloads.
 */
export const SharedWithMePage = () => {
  const { t } = useTranslation();
  return (
    <NodeListPage
      title={t('nav.sharedWithMe')}
      intro={t('sharing.withMeIntro')}
      pages={useCursorPages(['shared-with-me'], fetchSharedWithMe)}
      label={t('sharing.withMeLabel')}
      empty={t('sharing.withMeEmpty')}
      itemKey={(item) => item.shareId}
      describe={(item) => (
        <>
          {t('sharing.sharedBy', { person: item.sharedBy, date: formatDate(item.sharedAt) })}
          {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
        </>
      )}
      actions={(item) => (
        <>
          <span className={`badge badge-role-${item.role}`}>
            {item.role === 'editor' ? t('sharing.canEdit') : t('sharing.canView')}
          </span>
          {item.kind === 'file' && item.storageState === 'hot' && (
            <SessionLink
              className="button"
              href={contentUrl(item.id)}
              download={item.name}
              aria-label={t('sharing.downloadName', { name: item.name })}
            >
              {t('sharing.download')}
            </SessionLink>
          )}
        </>
      )}
    />
  );
};
