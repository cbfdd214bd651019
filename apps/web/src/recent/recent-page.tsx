import type { NodeDto, RecentPage as RecentPageDto } from '@myfile/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatBytes, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';
import { PreviewDialog } from '../preview/preview-dialog.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { useTitle } from '../ui/use-title.js';

const fetchRecent = (cursor: string | null) => {
  const query = new URLSearchParams({ limit: '50' });
  if (cursor) query.set('cursor', cursor);
  return api<RecentPageDto>(`/api/recent?${query}`);
};

/** Files I uploaded, changed or opened, newest first. */
export const RecentPage = () => {
  useTitle('Recent');
  const recent = useCursorPages(['recent'], fetchRecent);
  const [preview, setPreview] = useState<NodeDto | null>(null);
  return (
    <section aria-labelledby="recent-title">
      <div className="folder-heading">
        <h1 id="recent-title">Recent</h1>
      </div>
      <PagedList
        pages={recent}
        label="Recent files"
        empty="Files you upload, change or open show up here."
        itemKey={(item) => item.id}
        renderItem={(item) => (
          <>
            <NodeIcon node={item} />
            <div className="item-main">
              <button
                type="button"
                className="link-button node-name"
                onClick={() => setPreview(item)}
              >
                {item.name}
              </button>
              <span className="muted small">
                {item.reason === 'opened' ? 'Opened' : 'Changed'} {formatDate(item.at)} ·{' '}
                {formatBytes(item.size)}
              </span>
            </div>
            {item.parentId && item.path.length > 0 ? (
              <Link to={folderUrl(item.parentId)} className="small">
                Open folder
              </Link>
            ) : null}
          </>
        )}
      />
      {preview && <PreviewDialog file={preview} onClose={() => setPreview(null)} />}
    </section>
  );
};
