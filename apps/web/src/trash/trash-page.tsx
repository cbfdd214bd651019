import type { TrashItem, TrashPage as TrashPageDto } from '@myfile/contract';
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

const countText = (count: number) => `${count.toLocaleString('en')} item${count === 1 ? '' : 's'}`;

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
  const [confirming, setConfirming] = useState<
    { id: string; name: string } | 'all' | 'selected' | null
  >(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  // Only rows still in the trash count: a restored or purged one drops out of the selection.
  const selected = items.filter((item) => checked.has(item.id));
  const toggle = (id: string) =>
    setChecked((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });

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

  /** One request per item, one after another; the toast counts what worked and what did not. */
  const forEach = async (
    list: readonly TrashItem[],
    request: (item: TrashItem) => Promise<unknown>,
    done: (count: number) => string,
  ) => {
    let failed = 0;
    let firstError: unknown = null;
    for (const item of list) {
      try {
        await request(item);
      } catch (error) {
        failed += 1;
        firstError ??= error;
      }
    }
    setChecked(new Set());
    refresh();
    if (failed > 0) toasts.showError(firstError);
    if (list.length - failed > 0) toasts.show(done(list.length - failed), 'success');
  };

  const restoreSelected = () =>
    forEach(
      selected,
      (item) => api(`/api/trash/${item.id}/restore`, { method: 'POST' }),
      (count) => `Restored ${countText(count)}.`,
    );

  const allChecked = items.length > 0 && selected.length === items.length;

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
      {items.length > 0 && (
        <div className="selection-bar" aria-live="polite">
          <label className="check-all">
            <input
              type="checkbox"
              checked={allChecked}
              onChange={() =>
                setChecked(allChecked ? new Set() : new Set(items.map((item) => item.id)))
              }
            />{' '}
            Select all shown
          </label>
          {selected.length > 0 && (
            <>
              <span>{selected.length.toLocaleString('en')} selected</span>
              <button type="button" className="button" onClick={() => void restoreSelected()}>
                Restore selected
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => setConfirming('selected')}
              >
                Delete selected forever
              </button>
            </>
          )}
        </div>
      )}
      <PagedList
        pages={trash}
        label="Deleted items"
        empty="The trash is empty."
        itemKey={(item) => item.id}
        renderItem={(item) => (
          <>
            <input
              type="checkbox"
              aria-label={`Select ${item.name}`}
              checked={checked.has(item.id)}
              onChange={() => toggle(item.id)}
            />
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
          title={
            confirming === 'all'
              ? 'Empty the trash?'
              : confirming === 'selected'
                ? `Delete ${countText(selected.length)} forever?`
                : `Delete “${confirming.name}” forever?`
          }
          confirmLabel={confirming === 'all' ? 'Empty trash' : 'Delete forever'}
          danger
          onConfirm={async () => {
            if (confirming === 'selected') {
              await forEach(
                selected,
                (item) => api(`/api/trash/${item.id}`, { method: 'DELETE' }),
                (count) => `Deleted ${countText(count)} for good.`,
              );
              return;
            }
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
              : confirming === 'selected'
                ? 'The selected items and everything in them are deleted for good. This cannot be undone.'
                : 'The item and everything in it are deleted for good. This cannot be undone.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
};
