import type { FolderWithBreadcrumb, NodeDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { formatBytes, formatDate } from '../api/format.js';
import { breadcrumbTrail } from '../files/breadcrumbs.js';
import { humanKind } from '../files/kinds.js';
import { NodeIcon } from '../files/node-icon.js';
import { StarButton } from '../stars/star-button.js';
import { fetchStarState, starStateQueryKey } from '../stars/stars-api.js';
import { fetchVersions, versionsQueryKey } from '../versions/versions-api.js';
import { VersionList } from '../versions/version-list.js';
import './details-pane.css';

type Props = {
  node: NodeDto;
  /** The folder the item sits in, for its location. */
  folder: FolderWithBreadcrumb | undefined;
  /** Owner or editor here: versions are theirs to see and use. */
  canEdit: boolean;
  onClose(): void;
};

/** One line of the item's history: when it was made, changed, and each replace a version kept. */
type Activity = { at: string; text: string };

const activityOf = (
  node: NodeDto,
  versions: readonly { createdAt: string; by: string | null }[],
) => {
  const lines: Activity[] = [{ at: node.createdAt, text: 'Created' }];
  for (const version of versions)
    lines.push({ at: version.createdAt, text: `Replaced${version.by ? ` by ${version.by}` : ''}` });
  if (node.updatedAt !== node.createdAt && !versions.some((v) => v.createdAt === node.updatedAt))
    lines.push({ at: node.updatedAt, text: 'Changed' });
  return lines.sort((a, b) => b.at.localeCompare(a.at));
};

/**
 * What there is to know about the selected item: a 256 px thumbnail, kind, size, dates, SHA-256,
 * where it is, its activity and, for a file its owner or an editor looks at, its versions.
 */
export const DetailsPane = ({ node, folder, canEdit, onClose }: Props) => {
  const isFile = node.kind === 'file';
  const star = useQuery({
    queryKey: starStateQueryKey(node.id),
    queryFn: () => fetchStarState(node.id),
  });
  const versions = useQuery({
    queryKey: versionsQueryKey(node.id),
    queryFn: () => fetchVersions(node.id),
    enabled: isFile && canEdit,
  });
  const location = folder ? breadcrumbTrail(folder).map((crumb) => crumb.name) : [];
  const activity = activityOf(
    node,
    (versions.data?.versions ?? []).map((version) => ({
      createdAt: version.createdAt,
      by: version.createdBy?.email ?? null,
    })),
  );
  return (
    <aside className="details-pane" aria-labelledby="details-title">
      <div className="details-heading">
        <NodeIcon node={node} />
        <h2 id="details-title">{node.name}</h2>
        {star.data && (
          <StarButton
            key={`${node.id}:${star.data.starred}`}
            node={node}
            starred={star.data.starred}
          />
        )}
        <button type="button" className="button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      {node.thumbnailUrl && (
        <img
          className="details-thumbnail"
          src={node.thumbnailUrl}
          alt={`Thumbnail of ${node.name}`}
          width={256}
        />
      )}
      <dl className="details-facts">
        <dt>Kind</dt>
        <dd>{humanKind(node)}</dd>
        {isFile && (
          <>
            <dt>Size</dt>
            <dd>{formatBytes(node.size)}</dd>
          </>
        )}
        <dt>Modified</dt>
        <dd>{formatDate(node.updatedAt)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(node.createdAt)}</dd>
        {location.length > 0 && (
          <>
            <dt>Location</dt>
            <dd>{location.join(' / ')}</dd>
          </>
        )}
        {node.storageState !== 'hot' && (
          <>
            <dt>Storage</dt>
            <dd>{node.storageState === 'archived' ? 'Archived' : `${node.storageState}…`}</dd>
          </>
        )}
        {isFile && node.sha256 && (
          <>
            <dt>SHA-256</dt>
            <dd className="details-hash">{node.sha256}</dd>
          </>
        )}
      </dl>
      <h3>Activity</h3>
      <ol className="details-activity" aria-label="Activity">
        {activity.map((line) => (
          <li key={`${line.at}:${line.text}`}>
            {line.text} <span className="muted small">{formatDate(line.at)}</span>
          </li>
        ))}
      </ol>
      {isFile && canEdit && (
        <>
          <h3>Versions</h3>
          <VersionList file={node} versions={versions} />
        </>
      )}
    </aside>
  );
};
