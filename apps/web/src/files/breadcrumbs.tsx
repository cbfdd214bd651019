import type { PathDto } from '@myfile/contract';
import { Link } from 'react-router';

export const folderUrl = (id: string) => (id === 'root' ? '/' : `/folders/${id}`);

export const Breadcrumbs = ({ path, rootId }: { path: PathDto; rootId: string | undefined }) => (
  <nav aria-label="Breadcrumb" className="breadcrumbs">
    <ol>
      {path.map((crumb, index) => {
        const last = index === path.length - 1;
        const name = crumb.id === rootId || index === 0 ? 'My files' : crumb.name;
        return (
          <li key={crumb.id}>
            {last ? (
              <span aria-current="page">{name}</span>
            ) : (
              <Link to={folderUrl(index === 0 ? 'root' : crumb.id)}>{name}</Link>
            )}
          </li>
        );
      })}
    </ol>
  </nav>
);
