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

const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

const whoCanOpen = (item: SharedByMeItemDto) =>
  [
    item.people > 0 && count(item.people, 'person', 'people'),
    item.links > 0 && count(item.links, 'link', 'links'),
  ]
    .filter(Boolean)
    .join(' and ');

/** Everything of mine that somebody else can open, with "Manage…" for who and how. */
export const SharedByMePage = () => {
  useTitle('Shared by me');
  const shared = useCursorPages(['shared-by-me'], fetchSharedByMe);
  const [managing, setManaging] = useState<SharedByMeItemDto | null>(null);

  return (
    <section aria-labelledby="shared-by-me-title">
      <div className="folder-heading">
        <h1 id="shared-by-me-title">Shared by me</h1>
      </div>
      <p className="muted">Your files and folders that people or links can open.</p>
      <PagedList
        pages={shared}
        label="Items shared by me"
        empty="You have not shared anything yet."
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
                {whoCanOpen(item)} · shared {formatDate(item.sharedAt)}
              </span>
            </div>
            <button
              type="button"
              className="button"
              aria-label={`Manage sharing of ${item.name}`}
              onClick={() => setManaging(item)}
            >
              Manage…
            </button>
          </>
        )}
      />
      {managing && <ShareDialog node={managing} onClose={() => setManaging(null)} />}
    </section>
  );
};
