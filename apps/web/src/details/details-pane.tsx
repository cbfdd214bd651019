import type { ActivityEntry, FolderWithBreadcrumb, NodeDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { formatBytes, formatDate, formatWhen } from '../api/format.js';
import { breadcrumbTrail } from '../files/breadcrumbs.js';
import { humanKind } from '../files/kinds.js';
import { NodeIcon } from '../files/node-icon.js';
import { t, useTranslation } from '../i18n/i18n.js';
import { StarButton } from '../stars/star-button.js';
import { fetchStarState, starStateQueryKey } from '../stars/stars-api.js';
import { PageStatus, ShowMore, useCursorPages } from '../ui/paged-list.js';
import { fetchVersions, versionsQueryKey } from '../versions/versions-api.js';
import { VersionList } from '../versions/version-list.js';
import { activityQueryKey, fetchActivityPage } from './activity-api.js';
import './details-pane.css';

type Props = {
  node: NodeDto;
  /** The folder the item sits in, for its location. */
  folder: FolderWithBreadcrumb | undefined;
  /** Owner or editor here: versions are theirs to see and use. */
  canEdit: boolean;
  onClose(): void;
};

/** A role as the server names it, in words; an unknown one is shown as it came. */
const roleWords = (role: string) =>
  role === 'viewer' || role === 'editor' ? t(`details.role.${role}`) : role;

/**
 * What one entry says, with its detail when the server sent it (a sharee sees that an item was
 * moved or shared, not where to or with whom).
 */
export const activityText = ({ kind, detail }: ActivityEntry): string => {
  const { previousName, from, to, email, role, size } = detail;
  switch (kind) {
    case 'created':
      return t('details.entry.created');
    case 'renamed':
      return previousName
        ? t('details.entry.renamedFrom', { previousName })
        : t('details.entry.renamed');
    case 'moved':
      return from && to ? t('details.entry.movedFromTo', { from, to }) : t('details.entry.moved');
    case 'new_version':
      return size === undefined
        ? t('details.entry.newVersion')
        : t('details.entry.newVersionOfSize', { size: formatBytes(size) });
    case 'trashed':
      return t('details.entry.trashed');
    case 'restored':
      return t('details.entry.restored');
    case 'archived':
      return t('details.entry.archived');
    case 'unarchived':
      return t('details.entry.unarchived');
    case 'shared':
      return email && role
        ? t('details.entry.sharedWith', { email, role: roleWords(role) })
        : t('details.entry.shared');
    case 'share_changed':
      return email && role
        ? t('details.entry.shareChangedFor', { email, role: roleWords(role) })
        : t('details.entry.shareChanged');
    case 'unshared':
      return email ? t('details.entry.unsharedWith', { email }) : t('details.entry.unshared');
    case 'link_created':
      return role
        ? t('details.entry.linkCreatedAs', { role: roleWords(role) })
        : t('details.entry.linkCreated');
    case 'link_revoked':
      return t('details.entry.linkRevoked');
  }
};

/** The item's history from the server, newest first, a page at a time, ending with its creation. */
const ActivityList = ({ nodeId }: { nodeId: string }) => {
  const { t } = useTranslation();
  const { query, items } = useCursorPages(activityQueryKey(nodeId), (cursor) =>
    fetchActivityPage(nodeId, cursor),
  );
  return (
    <>
      <PageStatus query={query} className="small" />
      {items.length > 0 && (
        <ol className="details-activity" aria-label={t('details.activity')}>
          {items.map((entry) => (
            <li key={entry.id ?? 'created'}>
              {activityText(entry)}
              {entry.actor && (
                <span className="muted small">
                  {' · '}
                  {entry.actor.you ? t('details.you') : entry.actor.email}
                </span>
              )}{' '}
              <time className="muted small" dateTime={entry.at} title={formatDate(entry.at)}>
                {formatWhen(entry.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      <ShowMore query={query} />
    </>
  );
};

/**
 * What there is to know about the selected item: a 256 px thumbnail, kind, size, dates, SHA-256,
 * where it is, its activity and, for a file its owner or an editor looks at, its versions.
 */
export const DetailsPane = ({ node, folder, canEdit, onClose }: Props) => {
  const { t } = useTranslation();
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
        <button type="button" className="button" aria-label={t('details.close')} onClick={onClose}>
          ×
        </button>
      </div>
      {node.thumbnailUrl && (
        <img
          className="details-thumbnail"
          src={node.thumbnailUrl}
          alt={t('details.thumbnailOf', { name: node.name })}
          width={256}
        />
      )}
      <dl className="details-facts">
        <dt>{t('details.kind')}</dt>
        <dd>{humanKind(node)}</dd>
        {isFile && (
          <>
            <dt>{t('details.size')}</dt>
            <dd>{formatBytes(node.size)}</dd>
          </>
        )}
        <dt>{t('details.modified')}</dt>
        <dd>{formatDate(node.updatedAt)}</dd>
        <dt>{t('details.created')}</dt>
        <dd>{formatDate(node.createdAt)}</dd>
        {location.length > 0 && (
          <>
            <dt>{t('details.location')}</dt>
            <dd>{location.join(' / ')}</dd>
          </>
        )}
        {node.storageState !== 'hot' && (
          <>
            <dt>{t('details.storage')}</dt>
            <dd>{t(`details.storageState.${node.storageState}`)}</dd>
          </>
        )}
        {isFile && node.sha256 && (
          <>
            <dt>{t('details.sha256')}</dt>
            <dd className="details-hash">{node.sha256}</dd>
          </>
        )}
      </dl>
      <h3>{t('details.activity')}</h3>
      <ActivityList key={node.id} nodeId={node.id} />
      {isFile && canEdit && (
        <>
          <h3>{t('details.versions')}</h3>
          <VersionList file={node} versions={versions} />
        </>
      )}
    </aside>
  );
};
