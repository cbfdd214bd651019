import type { SharedByMeItemDto } from '@myfile/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../api/format.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { ShareDialog } from './share-dialog.js';
import { fetchSharedByMe } from './sharing-api.js';
import { useTitle } from '../ui/use-title.js';
import { t, useTranslation } from '../i18n/i18n.js';

const whoCanOpen = (item: SharedByMeItemDto) => {
  const people = t('sharing.people', { count: item.people });
  const links = t('sharing.links', { count: item.links });
  if (item.people > 0 && item.links > 0) return t('sharing.peopleAndLinks', { people, links });
  return item.people > 0 ? people : item.links > 0 ? links : '';
};

/** Everything of mine that somebody else can open, with "Manage…" for who and how. */
export const SharedByMePage = () => {
  const { t } = useTranslation();
  useTitle(t('nav.sharedByMe'));
  const shared = useCursorPages(['shared-by-me'], fetchSharedByMe);
  const [managing, setManaging] = useState<SharedByMeItemDto | null>(null);

  return (
    <section aria-labelledby="shared-by-me-title">
      <div className="folder-heading">
        <h1 id="shared-by-me-title">{t('nav.sharedByMe')}</h1>
      </div>
      <p className="muted">{t('sharing.byMeIntro')}</p>
      <PagedList
        pages={shared}
        label={t('sharing.byMeLabel')}
        empty={t('sharing.byMeEmpty')}
        itemKey={(item) => item.id}
        renderItem={(item) => (
          <>
            <NodeIcon node={item} />
            <div className="item-main">
              {item.kind === 'folder' ? (
                <Link className="node-name" to={folderUrl(item.id)}>
                  {item.name}
                </Link>
              ) : (
                <span className="node-name">{item.name}</span>
              )}
              <span className="muted small">
                {whoCanOpen(item)} · {t('sharing.sharedOn', { date: formatDate(item.sharedAt) })}
              </span>
            </div>
            <button
              type="button"
              className="button"
              aria-label={t('sharing.manageName', { name: item.name })}
              onClick={() => setManaging(item)}
            >
              {t('sharing.manage')}
            </button>
          </>
        )}
      />
      {managing && <ShareDialog node={managing} onClose={() => setManaging(null)} />}
    </section>
  );
};
