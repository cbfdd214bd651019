import type { NodeDto } from '@myfile/contract';
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { folderUrl } from '../files/breadcrumbs.js';
import { NodeIcon } from '../files/node-icon.js';
import { PreviewDialog } from '../preview/preview-dialog.js';
import { PagedList, type useCursorPages } from './paged-list.js';
import { useTitle } from './use-title.js';

type Props<T extends NodeDto> = {
  title: string;
  /** A sentence under the title. */
  intro?: ReactNode;
  pages: ReturnType<typeof useCursorPages<T>>;
  label: string;
  empty: string;
  itemKey: (item: T) => string;
  /** The small line under the name: why the item is here, when, how big. */
  describe: (item: T) => ReactNode;
  /** Whatever sits at the end of the row (a star, a role, a download). */
  actions?: (item: T) => ReactNode;
};

/**
 * A page that lists files and folders from elsewhere in the tree, a page of the cursor at a
 * time (Recent, Starred, Shared with me): a folder opens in the folder browser, a file previews.
 */
export const NodeListPage = <T extends NodeDto>({
  title,
  intro,
  pages,
  label,
  empty,
  itemKey,
  describe,
  actions,
}: Props<T>) => {
  useTitle(title);
  const titleId = useId();
  const [preview, setPreview] = useState<NodeDto | null>(null);
  return (
    <section aria-labelledby={titleId}>
      <div className="folder-heading">
        <h1 id={titleId}>{title}</h1>
      </div>
      {intro && <p className="muted">{intro}</p>}
      <PagedList
        pages={pages}
        label={label}
        empty={empty}
        itemKey={itemKey}
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
              <span className="muted small">{describe(item)}</span>
            </div>
            {actions?.(item)}
          </>
        )}
      />
      {preview && <PreviewDialog file={preview} onClose={() => setPreview(null)} />}
    </section>
  );
};
