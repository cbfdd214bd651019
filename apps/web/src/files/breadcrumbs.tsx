import type { FolderWithBreadcrumb } from '@myfile/contract';
import { Link } from 'react-router';

export const folderUrl = (id: string) => (id === 'root' ? '/' : `/folders/${id}`);

/** My files / …ancestors / this folder (the API's breadcrumb holds neither end). */
export const breadcrumbTrail = (folder: FolderWithBreadcrumb) => [
  { id: 'root', name: 'My files' },
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
