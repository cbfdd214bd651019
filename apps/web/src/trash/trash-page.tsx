import type { TrashPage as TrashPageDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { NodeIcon } from '../files/node-icon.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { useToasts } from '../ui/toasts.js';
import { useTitle } from '../ui/use-title.js';

/** "deleted for good in 29 days", counted in whole days from now, as a person reads it. */
export const daysLeftText = (purgeAt: string, now = Date.now()) => {
  const days = Math.ceil((Date.parse(purgeAt) - now) / 86_400_000);
  if (days <= 0) return 'deleted for good today';
  return `deleted for good in ${days} day${days === 1 ? '' : 's'}`;
};

export const TrashPage = () => {
  useTitle('Trash');
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const trash = useCursorPages(['trash'], (cursor) =>
    api<TrashPageDto>(
      `/api/trash?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    ),
  );
  const { items } = trash;
  const [confirming, setConfirming] = useState<{ id: string; name: string } | 'all' | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['trash'] });
    void queryClient.invalidateQueries({ queryKey: ['children'] });
    void queryClient.invalidateQueries({ queryKey: ['usage'] });
  };

  const act = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toasts.show(done, 'success');
    } catch (error) {
      toasts.showError(error);
    }
    refresh();
  };

  return (
    <section aria-labelledby="trash-title">
      <div className="folder-heading">
        <h1 id="trash-title">Trash</h1>
        {items.length > 0 && (
          <button type="button" className="button danger" onClick={() => setConfirming('all')}>
            Empty trash
          </button>
        )}
      </div>
      <p className="muted">
        Deleted items stay here until you empty the trash or their retention period ends; each says
        when.
      </p>
      <PagedList
        pages={trash}
        label="Deleted items"
        empty="The trash is empty."
        itemKey={(item) => item.id}
        renderItem={(item) => (
          <>
            <NodeIcon node={item} />
            <div className="item-main">
              <span className="node-name">{item.name}</span>
              <span className="muted small">
                From /{item.originalPath.join('/')} · deleted {formatDate(item.trashedAt)}
                {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''} ·{' '}
                <span className="purge-date" title={formatDate(item.purgeAt)}>
                  {daysLeftText(item.purgeAt)}
                </span>
              </span>
            </div>
            <button
              type="button"
              className="button"
              aria-label={`Restore ${item.name}`}
              onClick={() =>
                void act(
                  () => api(`/api/trash/${item.id}/restore`, { method: 'POST' }),
                  `Restored “${item.name}”.`,
                )
              }
            >
              Restore
            </button>
            <button
              type="button"
              className="button danger"
              aria-label={`Delete forever ${item.name}`}
              onClick={() => setConfirming({ id: item.id, name: item.name })}
            >
              Delete forever
            </button>
          </>
        )}
      />
      {confirming && (
        <ConfirmDialog
          title={confirming === 'all' ? 'Empty the trash?' : `Delete “${confirming.name}” forever?`}
          confirmLabel={confirming === 'all' ? 'Empty trash' : 'Delete forever'}
          danger
          onConfirm={async () => {
            try {
              await api(confirming === 'all' ? '/api/trash' : `/api/trash/${confirming.id}`, {
                method: 'DELETE',
              });
              toasts.show(
                confirming === 'all'
                  ? 'The trash is empty.'
                  : `Deleted “${confirming.name}” for good.`,
                'success',
              );
            } finally {
              refresh();
            }
          }}
          onClose={() => setConfirming(null)}
        >
          <p>
            {confirming === 'all'
              ? 'Everything in the trash is deleted for good and its space is freed. This cannot be undone.'
              : 'The item and everything in it are deleted for good. This cannot be undone.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
};
