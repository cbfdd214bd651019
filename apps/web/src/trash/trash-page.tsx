import type { TrashPage as TrashPageDto } from '@myfile/contract';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes, formatDate } from '../api/format.js';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { NodeIcon } from '../files/node-icon.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useToasts } from '../ui/toasts.js';

/** "deleted for good in 29 days", counted in whole days from now, as a person reads it. */
export const daysLeftText = (purgeAt: string, now = Date.now()) => {
  const days = Math.ceil((Date.parse(purgeAt) - now) / 86_400_000);
  if (days <= 0) return 'deleted for good today';
  return `deleted for good in ${days} day${days === 1 ? '' : 's'}`;
};

export const TrashPage = () => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const trash = useInfiniteQuery({
    queryKey: ['trash'],
    queryFn: ({ pageParam }) =>
      api<TrashPageDto>(
        `/api/trash?limit=100${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = trash.data?.pages.flatMap((page) => page.items) ?? [];
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
      {trash.isError && (
        <p role="alert">
          {errorMessage(trash.error)}{' '}
          <button type="button" className="link-button" onClick={() => void trash.refetch()}>
            Try again
          </button>
        </p>
      )}
      {trash.isSuccess && items.length === 0 && <p>The trash is empty.</p>}
      {items.length > 0 && (
        <ul className="item-list" aria-label="Deleted items">
          {items.map((item) => (
            <li key={item.id} className="item-row">
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
            </li>
          ))}
        </ul>
      )}
      {trash.hasNextPage && (
        <button type="button" className="button" onClick={() => void trash.fetchNextPage()}>
          Show more
        </button>
      )}
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
