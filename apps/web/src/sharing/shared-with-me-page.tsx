import { formatBytes, formatDate } from '../api/format.js';
import { contentUrl } from '../files/files-api.js';
import { NodeListPage } from '../ui/node-list-page.js';
import { useCursorPages } from '../ui/paged-list.js';
import { SessionLink } from '../ui/session-link.js';
import { fetchSharedWithMe } from './sharing-api.js';

/**
 * A virtual folder of everything other people shared with me, newest first, a page at a time.
 * A folder opens in the folder browser with my role there; a file previews or downloads.
 */
export const SharedWithMePage = () => (
  <NodeListPage
    title="Shared with me"
    intro="Files and folders other people shared with you. What you may do in them depends on your role: a viewer can open and download, an editor can also change things."
    pages={useCursorPages(['shared-with-me'], fetchSharedWithMe)}
    label="Items shared with me"
    empty="Nothing has been shared with you yet."
    itemKey={(item) => item.shareId}
    describe={(item) => (
      <>
        Shared by {item.sharedBy} · {formatDate(item.sharedAt)}
        {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
      </>
    )}
    actions={(item) => (
      <>
        <span className={`badge badge-role-${item.role}`}>
          {item.role === 'editor' ? 'Can edit' : 'Can view'}
        </span>
        {item.kind === 'file' && item.storageState === 'hot' && (
          <SessionLink
            className="button"
            href={contentUrl(item.id)}
            download={item.name}
            aria-label={`Download ${item.name}`}
          >
            Download
          </SessionLink>
        )}
      </>
    )}
  />
);
