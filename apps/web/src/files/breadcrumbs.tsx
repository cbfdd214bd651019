import type { FolderWithBreadcrumb } from '@myfile/contract';
import { Link } from 'react-router';

export const folderUrl = (id: string) =>
  id === 'root' ? '/' : id === 'shared' ? '/shared' : `/folders/${id}`;

const sharedWithMe = { id: 'shared', name: 'Shared with me' };

/**
 * My files / …ancestors / this folder (the API's breadcrumb holds neither end). A sharee's
 * breadcrumb starts at what was shared with them, so it hangs under "Shared with me".
 */
export const breadcrumbTrail = (folder: FolderWithBreadcrumb) => [
  (folder.role ?? 'owner') === 'owner' ? { id: 'root', name: 'My files' } : sharedWithMe,
  ...folder.breadcrumb,
  ...(folder.parentId === null ? [] : [{ id: folder.id, name: folder.name }]),
];

export const Breadcrumbs = ({ folder }: { folder: FolderWithBreadcrumb }) => {
  const trail = breadcrumbTrail(folder);
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {trail.map((crumb, index) => (
          <li key={crumb.id}>
            {index === trail.length - 1 ? (
              <span aria-current="page">{crumb.name}</span>
            ) : (
              <Link to={folderUrl(crumb.id)}>{crumb.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
};
