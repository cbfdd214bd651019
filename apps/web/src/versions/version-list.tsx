import type { FileVersionDto, NodeDto } from '@myfile/contract';
import { useMutation, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatBytes, formatDate } from '../api/format.js';
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
      toasts.show(`Restored the version of ${formatDate(version.modifiedAt)}.`, 'success');
    },
    onError: (error) => toasts.showError(error),
  });

  if (versions.isPending) return <p role="status">Loading versions…</p>;
  if (versions.isError)
    return (
      <p role="alert" className="form-alert">
        {errorMessage(versions.error)}
      </p>
    );
  const list = versions.data.versions;
  return (
    <>
      {!hot && <p className="muted small">Restore the folder from the archive to use these.</p>}
      {list.length === 0 ? (
        <p className="muted small">
          No earlier versions. Replacing the file keeps the old one here.
        </p>
      ) : (
        <ol className="version-list" aria-label={`Versions of ${file.name}`}>
          {list.map((version) => (
            <li key={version.id} className="version-row">
              <div>
                <span>{formatDate(version.modifiedAt)}</span>
                <span className="muted small">
                  {' '}
                  · {formatBytes(version.size)}
                  {version.createdBy ? ` · replaced by ${version.createdBy.email}` : ''}
                </span>
              </div>
              {hot && (
                <div className="version-actions">
                  <SessionLink
                    className="button"
                    href={versionContentUrl(file.id, version.id)}
                    download={file.name}
                    aria-label={`Download the version of ${formatDate(version.modifiedAt)}`}
                  >
                    Download
                  </SessionLink>
                  <button
                    type="button"
                    className="button"
                    disabled={restore.isPending}
                    aria-label={`Restore the version of ${formatDate(version.modifiedAt)}`}
                    onClick={() => restore.mutate(version)}
                  >
                    Restore
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    aria-label={`Delete the version of ${formatDate(version.modifiedAt)}`}
                    onClick={() => setDeleting(version)}
                  >
                    Delete
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this version?"
          confirmLabel="Delete version"
          danger
          onConfirm={async () => {
            await deleteVersion(file.id, deleting.id);
            refresh();
          }}
          onClose={() => setDeleting(null)}
        >
          <p>
            The version of “{file.name}” from {formatDate(deleting.modifiedAt)} (
            {formatBytes(deleting.size)}) is deleted for good and its space freed.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
};
