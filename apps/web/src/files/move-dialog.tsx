import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.js';
import { useTranslation } from '../i18n/i18n.js';
import { breadcrumbTrail } from './breadcrumbs.js';
import { fetchChildren, fetchFolder } from './files-api.js';
import { NodeIcon } from './node-icon.js';

import { ModalDialog } from '../ui/modal-dialog.js';

type Props = {
  title: string;
  actionLabel: string;
  startFolderId: string;
  /** Folders that cannot be the target (the ones being moved: no cycles). */
  excludedIds: ReadonlySet<string>;
  onPick(folderId: string): Promise<void>;
  onClose(): void;
};

/** A folder picker: walk down and up the tree, then move or copy into the folder shown. */
export const MoveDialog = (props: Props) => {
  const { t } = useTranslation();
  const [folderId, setFolderId] = useState(props.startFolderId);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const folder = useQuery({ queryKey: ['folder', folderId], queryFn: () => fetchFolder(folderId) });
  const children = useQuery({
    queryKey: ['children', folderId, 'name', 'asc', 'picker'],
    queryFn: () => fetchChildren(folderId, { sort: 'name', order: 'asc', cursor: null }),
  });
  const folders = (children.data?.items ?? []).filter(
    (node) => node.kind === 'folder' && !props.excludedIds.has(node.id),
  );
  const crumbs = folder.data ? breadcrumbTrail(folder.data) : [];

  const pick = async () => {
    setPending(true);
    setError(undefined);
    try {
      await props.onPick(folder.data?.id ?? folderId);
      props.onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  };

  return (
    <ModalDialog title={props.title} onClose={props.onClose}>
      <nav aria-label={t('files.targetPath')} className="picker-path">
        {crumbs.map((crumb, index) => (
          <span key={crumb.id}>
            {index > 0 && <span aria-hidden="true"> / </span>}
            <button type="button" className="link-button" onClick={() => setFolderId(crumb.id)}>
              {crumb.name}
            </button>
          </span>
        ))}
      </nav>
      {children.isError && <p role="alert">{errorMessage(children.error)}</p>}
      <ul className="picker-list" aria-label={t('files.folders')}>
        {folders.length === 0 && children.isSuccess && (
          <li className="muted">{t('files.noSubfolders')}</li>
        )}
        {folders.map((node) => (
          <li key={node.id}>
            <button type="button" className="picker-item" onClick={() => setFolderId(node.id)}>
              <NodeIcon node={node} /> {node.name}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button primary"
          // Enabled before the folder's name arrives, so it can take the dialog's first focus.
          disabled={pending}
          data-autofocus
          onClick={() => void pick()}
        >
          {props.actionLabel}
        </button>
      </div>
    </ModalDialog>
  );
};
