import type { NodeDto } from '@myfile/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatBytes, formatDate } from '../api/format.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';
import { PreviewDialog } from '../preview/preview-dialog.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { StarButton } from './star-button.js';
import { fetchStarred, starredQueryKey } from './stars-api.js';
import { useTitle } from '../ui/use-title.js';

/** Everything I starred, newest star first; a folder opens, a file previews. */
export const StarredPage = () => {
  useTitle('Starred');
  const starred = useCursorPages(starredQueryKey, fetchStarred);
  const [preview, setPreview] = useState<NodeDto | null>(null);
  return (
    <section aria-labelledby="starred-title">
      <div className="folder-heading">
        <h1 id="starred-title">Starred</h1>
      </div>
      <PagedList
        pages={starred}
        label="Starred items"
        empty="Nothing is starred yet. Star a file or folder to find it here."
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
                <button
                  type="button"
                  className="link-button node-name"
                  onClick={() => setPreview(item)}
                >
                  {item.name}
                </button>
              )}
              <span className="muted small">
                Starred {formatDate(item.starredAt)}
                {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''}
              </span>
            </div>
            <StarButton node={item} starred />
          </>
        )}
      />
      {preview && <PreviewDialog file={preview} onClose={() => setPreview(null)} />}
    </section>
  );
};
