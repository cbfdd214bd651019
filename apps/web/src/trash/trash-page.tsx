import type { TrashItem, TrashPage as TrashPageDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatBytes, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { NodeIcon } from '../files/node-icon.js';
import { t as translate, useTranslation } from '../i18n/i18n.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { PagedList, useCursorPages } from '../ui/paged-list.js';
import { useToasts } from '../ui/toasts.js';
import { useTitle } from '../ui/use-title.js';

/** "deleted for good in 29 days", counted in whole days from now, as a person reads it. */
export const daysLeftText = (purgeAt: string, now = Date.now()) => {
  const days = Math.ceil((Date.parse(purgeAt) - now) / 86_400_000);
  if (days <= 0) return translate('trash.goneToday');
  return translate('trash.goneIn', { count: days });
};

export const TrashPage = () => {
  const { t } = useTranslation();
  useTitle(t('trash.title'));
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
      (count) => t('trash.restoredCount', { count }),
    );

  const allChecked = items.length > 0 && selected.length === items.length;

  return (
    <section aria-labelledby="trash-title">
      <div className="folder-heading">
        <h1 id="trash-title">{t('trash.title')}</h1>
        {items.length > 0 && (
          <button type="button" className="button danger" onClick={() => setConfirming('all')}>
            {t('trash.emptyTrash')}
          </button>
        )}
      </div>
      <p className="muted">{t('trash.intro')}</p>
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
            {t('trash.selectAllShown')}
          </label>
          {selected.length > 0 && (
            <>
              <span>{t('trash.selected', { count: selected.length })}</span>
              <button type="button" className="button" onClick={() => void restoreSelected()}>
                {t('trash.restoreSelected')}
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => setConfirming('selected')}
              >
                {t('trash.deleteSelectedForever')}
              </button>
            </>
          )}
        </div>
      )}
      <PagedList
        pages={trash}
        label={t('trash.label')}
        empty={t('trash.empty')}
        itemKey={(item) => item.id}
        renderItem={(item) => (
          <>
            <input
              type="checkbox"
              aria-label={t('trash.select', { name: item.name })}
              checked={checked.has(item.id)}
              onChange={() => toggle(item.id)}
            />
            <NodeIcon node={item} />
            <div className="item-main">
              <span className="node-name">{item.name}</span>
              <span className="muted small">
                {t('trash.from', { path: item.originalPath.join('/') })} ·{' '}
                {t('trash.deletedAt', { date: formatDate(item.trashedAt) })}
                {item.kind === 'file' ? ` · ${formatBytes(item.size)}` : ''} ·{' '}
                <span className="purge-date" title={formatDate(item.purgeAt)}>
                  {daysLeftText(item.purgeAt)}
                </span>
              </span>
            </div>
            <button
              type="button"
              className="button"
              aria-label={t('trash.restoreName', { name: item.name })}
              onClick={() =>
                void act(
                  () => api(`/api/trash/${item.id}/restore`, { method: 'POST' }),
                  t('trash.restored', { name: item.name }),
                )
              }
            >
              {t('trash.restore')}
            </button>
            <button
              type="button"
              className="button danger"
              aria-label={t('trash.deleteForeverName', { name: item.name })}
              onClick={() => setConfirming({ id: item.id, name: item.name })}
            >
              {t('trash.deleteForever')}
            </button>
          </>
        )}
      />
      {confirming && (
        <ConfirmDialog
          title={
            confirming === 'all'
              ? t('trash.emptyQuestion')
              : confirming === 'selected'
                ? t('trash.deleteCountQuestion', { count: selected.length })
                : t('trash.deleteNameQuestion', { name: confirming.name })
          }
          confirmLabel={t(confirming === 'all' ? 'trash.emptyTrash' : 'trash.deleteForever')}
          danger
          onConfirm={async () => {
            if (confirming === 'selected') {
              await forEach(
                selected,
                (item) => api(`/api/trash/${item.id}`, { method: 'DELETE' }),
                (count) => t('trash.deletedCount', { count }),
              );
              return;
            }
            try {
              await api(confirming === 'all' ? '/api/trash' : `/api/trash/${confirming.id}`, {
                method: 'DELETE',
              });
              toasts.show(
                confirming === 'all'
                  ? t('trash.emptied')
                  : t('trash.deletedName', { name: confirming.name }),
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
              ? t('trash.emptyWarning')
              : confirming === 'selected'
                ? t('trash.selectedWarning')
                : t('trash.itemWarning')}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
};
