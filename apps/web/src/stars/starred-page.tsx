import { formatBytes, formatDate } from '../api/format.js';
import { NodeListPage } from '../ui/node-list-page.js';
import { useCursorPages } from '../ui/paged-list.js';
import { StarButton } from './star-button.js';
import { fetchStarred, starredQueryKey } from './stars-api.js';

/** Everything I starred, newest star first; a folder opens, a file previews. */
export const StarredPage = () => (
  <NodeListPage
    title="Starred"
    pages={useCursorPages(starredQueryKey, fetchStarred)}
    label="Starred items"
    empty="Nothing is starred yet. Star a file or folder to find it here."
    itemKey={(item) => item.id}
    describe={(item) => (
      <>
        Starred {formatDate(item.starredAt)}
        {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
      </>
    )}
    actions={(item) => <StarButton node={item} starred />}
  />
);
