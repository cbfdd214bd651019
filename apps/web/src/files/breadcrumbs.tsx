import type { FolderWithBreadcrumb } from '@myfile/contract';
import { useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { t, useTranslation } from '../i18n/i18n.js';

export const folderUrl = (id: string) =>
  id === 'root' ? '/' : id === 'shared' ? '/shared' : `/folders/${id}`;

/**
 * My own top folder. A folder shared with me has no parent either (the server does not say
 * which of its owner's folders holds it), but it is not my root.
 */
export const isMyRoot = (folder: Pick<FolderWithBreadcrumb, 'parentId' | 'role'>) =>
  folder.parentId === null && (folder.role ?? 'owner') === 'owner';

/**
 * My files / …ancestors / this folder (the API's breadcrumb holds neither end). A sharee's
 * breadcrumb starts at what was shared with them, so it hangs under "Shared with me".
 */
export const breadcrumbTrail = (folder: FolderWithBreadcrumb) => [
  (folder.role ?? 'owner') === 'owner'
    ? { id: 'root', name: t('files.myFiles') }
    : { id: 'shared', name: t('files.sharedWithMe') },
  ...folder.breadcrumb,
  ...(isMyRoot(folder) ? [] : [{ id: folder.id, name: folder.name }]),
];

/** Rows dragged from the list can be dropped on a crumb (a folder of mine above this one). */
export type CrumbDrop = {
  accepts(event: DragEvent): boolean;
  drop(crumb: { id: string; name: string }): void;
};

export const Breadcrumbs = ({
  folder,
  drop,
}: {
  folder: FolderWithBreadcrumb;
  drop?: CrumbDrop | undefined;
}) => {
  const { t } = useTranslation();
  const trail = breadcrumbTrail(folder);
  const [overId, setOverId] = useState<string | null>(null);
  const dropProps = (crumb: { id: string; name: string }) =>
    drop && crumb.id !== 'shared'
      ? {
          onDragOver: (event: DragEvent) => {
            if (!drop.accepts(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            setOverId(crumb.id);
          },
          onDragLeave: () => setOverId((current) => (current === crumb.id ? null : current)),
          onDrop: (event: DragEvent) => {
            if (!drop.accepts(event)) return;
            event.preventDefault();
            event.stopPropagation();
            setOverId(null);
            drop.drop(crumb);
          },
        }
      : {};
  return (
    <nav aria-label={t('files.breadcrumb')} className="breadcrumbs">
      <ol>
        {trail.map((crumb, index) => (
          <li key={crumb.id}>
            {index === trail.length - 1 ? (
              <span aria-current="page">{crumb.name}</span>
            ) : (
              <Link
                to={folderUrl(crumb.id)}
                className={overId === crumb.id ? 'drop-target' : undefined}
                {...dropProps(crumb)}
              >
                {crumb.name}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
};
