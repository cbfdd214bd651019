import type { FileVersionDto, NodeDto } from '@myfile/contract';
import { useMutation, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatBytes, formatDate } from '../api/format.js';
import { useTranslation } from '../i18n/i18n.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { SessionLink } from '../ui/session-link.js';
import { useToasts } from '../ui/toasts.js';
import {
  deleteVersion,
  restoreVersion,
  versionContentUrl,
  versionsQueryKey,
} from './versions-api.js';

type Props = {
  file: NodeDto;
  versions: UseQueryResult<{ versions: FileVersionDto[] }>;
};

/**
 * A file's earlier contents, newest first, each with download, restore and delete. Only owners
 * and editors see it (the server refuses viewers). While the file is archived its versions are
 * in cold storage with it: listed, not usable.
 */
export const VersionList = ({ file, versions }: Props) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [deleting, setDeleting] = useState<FileVersionDto | null>(null);
  const hot = file.storageState === 'hot';
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: versionsQueryKey(file.id) });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
    void queryClient.invalidateQueries({ queryKey: ['usage'] });
  };
  const restore = useMutation({
    mutationFn: (version: FileVersionDto) => restoreVersion(file.id, version.id),
    onSuccess: (_node, version) => {
      refresh();
      toasts.show(t('versions.restored', { date: formatDate(version.modifiedAt) }), 'success');
    },
    onError: (error) => toasts.showError(error),
  });

  if (versions.isPending) return <p role="status">{t('versions.loading')}</p>;
  if (versions.isError)
    return (
      <p role="alert" className="form-alert">
        {errorMessage(versions.error)}
      </p>
    );
  const list = versions.data.versions;
  return (
    <>
      {!hot && <p className="muted small">{t('versions.restoreFolderFirst')}</p>}
      {list.length === 0 ? (
        <p className="muted small">{t('versions.none')}</p>
      ) : (
        <ol className="version-list" aria-label={t('versions.listOf', { name: file.name })}>
          {list.map((version) => (
            <li key={version.id} className="version-row">
              <div>
                <span>{formatDate(version.modifiedAt)}</span>
                <span className="muted small">
                  {' '}
                  · {formatBytes(version.size)}
                  {version.createdBy
                    ? ` · ${t('versions.replacedBy', { email: version.createdBy.email })}`
                    : ''}
                </span>
              </div>
              {hot && (
                <div className="version-actions">
                  <SessionLink
                    className="button"
                    href={versionContentUrl(file.id, version.id)}
                    download={file.name}
                    aria-label={t('versions.downloadOf', { date: formatDate(version.modifiedAt) })}
                  >
                    {t('versions.download')}
                  </SessionLink>
                  <button
                    type="button"
                    className="button"
                    disabled={restore.isPending}
                    aria-label={t('versions.restoreOf', { date: formatDate(version.modifiedAt) })}
                    onClick={() => restore.mutate(version)}
                  >
                    {t('versions.restore')}
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    aria-label={t('versions.deleteOf', { date: formatDate(version.modifiedAt) })}
                    onClick={() => setDeleting(version)}
                  >
                    {t('versions.delete')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('versions.deleteQuestion')}
          confirmLabel={t('versions.deleteConfirm')}
          danger
          onConfirm={async () => {
            await deleteVersion(file.id, deleting.id);
            refresh();
          }}
          onClose={() => setDeleting(null)}
        >
          <p>
            {t('versions.deleteExplained', {
              name: file.name,
              date: formatDate(deleting.modifiedAt),
              size: formatBytes(deleting.size),
            })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
};
