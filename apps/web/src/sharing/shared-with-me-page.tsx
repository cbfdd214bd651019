import type { NodeDto } from '@myfile/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatBytes, formatDate } from '../api/format.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { contentUrl } from '../files/files-api.js';
import { SessionLink } from '../ui/session-link.js';
import { NodeIcon } from '../files/node-icon.js';
import { PreviewDialog } from '../preview/preview-dialog.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { fetchSharedWithMe } from './sharing-api.js';
import { useTitle } from '../ui/use-title.js';

/**
 * A virtual folder of everything other people shared with me, newest first, a page at a time.
 * A folder opens in the folder browser with my role there; a file previews or downloads.
 */
export const SharedWithMePage = () => {
  useTitle('Shared with me');
  const shared = useCursorPages(['shared-with-me'], fetchSharedWithMe);
  const [preview, setPreview] = useState<NodeDto | null>(null);

  return (
    <section aria-labelledby="shared-title">
      <div className="folder-heading">
        <h1 id="shared-title">Shared with me</h1>
      </div>
      <p className="muted">
        Files and folders other people shared with you. What you may do in them depends on your
        role: a viewer can open and download, an editor can also change things.
      </p>
      <PagedList
        pages={shared}
        label="Items shared with me"
        empty="Nothing has been shared with you yet."
        itemKey={(item) => item.shareId}
        renderItem={(item) => (
          <>
            <NodeIcon node={item} />
            <div className="item-main">
              {item.kind === 'folder' ? (
                <Link className="node-name" to={folderUrl(item.id)}>
                  {item.name}
                </Link>
              ) : (
                <button
                  type="button"
                  className="link-button node-name"
                  onClick={() => setPreview(item)}
                >
                  {item.name}
                </button>
              )}
              <span className="muted small">
                Shared by {item.sharedBy} · {formatDate(item.sharedAt)}
                {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
              </span>
            </div>
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
      {preview && <PreviewDialog file={preview} onClose={() => setPreview(null)} />}
    </section>
  );
};
