import { useEffect, useState } from 'react';
import { formatBytes } from '../api/format.js';
import { t, useTranslation } from '../i18n/i18n.js';
import type { UploadItem } from './upload-queue.js';
import { useUploadItems, useUploads } from './uploads-context.js';
import { useTransferSpeed } from './use-transfer-speed.js';

const statusText = (item: UploadItem) => {
  switch (item.status) {
    case 'queued':
      return t('uploads.waiting');
    case 'uploading':
      return t('uploads.progress', {
        loaded: formatBytes(item.loaded),
        size: formatBytes(item.size),
      });
    case 'paused':
      return t('uploads.paused');
    case 'done':
      return item.savedAs ? t('uploads.uploadedAs', { name: item.savedAs }) : t('uploads.uploaded');
    case 'failed':
      return item.error ?? t('uploads.failed');
    case 'cancelled':
      return t('uploads.cancelled');
  }
};

/** A speed: the unit reads the same in every language. */
const perSecond = (bytes: number) => `${formatBytes(bytes)}/s`;

const UploadRow = ({ item }: { item: UploadItem }) => {
  const { t } = useTranslation();
  const { queue } = useUploads();
  const percent =
    item.size === 0 ? (item.status === 'done' ? 100 : 0) : (item.loaded / item.size) * 100;
  return (
    <li className={`upload-row upload-${item.status}`}>
      <div className="upload-line">
        <span className="upload-name" title={item.name}>
          {item.name}
        </span>
        <span className="upload-actions">
          {(item.status === 'uploading' || item.status === 'queued') && (
            <button
              type="button"
              className="small-button"
              aria-label={t('uploads.pauseName', { name: item.name })}
              onClick={() => queue.pause(item.id)}
            >
              {t('uploads.pause')}
            </button>
          )}
          {item.status === 'paused' && (
            <button
              type="button"
              className="small-button"
              aria-label={t('uploads.resumeName', { name: item.name })}
              onClick={() => queue.resume(item.id)}
            >
              {t('uploads.resume')}
            </button>
          )}
          {item.status === 'failed' && (
            <button
              type="button"
              className="small-button"
              aria-label={t('uploads.retryName', { name: item.name })}
              onClick={() => queue.retry(item.id)}
            >
              {t('uploads.retry')}
            </button>
          )}
          {item.status !== 'done' && item.status !== 'cancelled' && (
            <button
              type="button"
              className="small-button"
              aria-label={t('uploads.cancelName', { name: item.name })}
              onClick={() => queue.cancel(item.id)}
            >
              {t('uploads.cancel')}
            </button>
          )}
        </span>
      </div>
      <progress
        max={100}
        value={Math.round(percent)}
        aria-label={t('uploads.itemProgress', { name: item.name })}
      />
      <span className={item.status === 'failed' ? 'upload-status error-text' : 'upload-status'}>
        {statusText(item)}
      </span>
    </li>
  );
};

/** Every upload of this tab: one bar per file, the total, the speed, and what to do next. */
export const UploadPanel = () => {
  const { t } = useTranslation();
  const items = useUploadItems();
  const { queue } = useUploads();
  const [collapsed, setCollapsed] = useState(false);
  const counted = items.filter((item) => item.status !== 'cancelled');
  const total = counted.reduce((sum, item) => sum + item.size, 0);
  const loaded = counted.reduce((sum, item) => sum + item.loaded, 0);
  const active = items.some((item) => item.status === 'uploading');
  const speed = useTransferSpeed(loaded, active);
  const done = items.filter((item) => item.status === 'done').length;
  const failed = items.filter((item) => item.status === 'failed').length;
  const settled =
    items.length > 0 &&
    items.every((item) => item.status === 'done' || item.status === 'cancelled');
  // New uploads open the list; once everything arrived it folds away so it hides nothing. Keyed
  // on the newest item, not on "uploading": a small file can finish before any render sees it
  // in flight, and its outcome ("Uploaded as …") must still be shown.
  const newest = items.at(-1)?.id;
  useEffect(() => {
    if (newest !== undefined) setCollapsed(false);
  }, [newest]);
  useEffect(() => {
    if (active) setCollapsed(false);
  }, [active]);
  useEffect(() => {
    if (!settled) return;
    const timer = setTimeout(() => setCollapsed(true), 5_000);
    return () => clearTimeout(timer);
  }, [settled, newest]);
  if (items.length === 0) return null;
  return (
    <section className="upload-panel" aria-labelledby="upload-panel-title">
      <div className="upload-panel-header">
        <h2 id="upload-panel-title">
          {failed > 0
            ? t('uploads.titleFailed', { done, count: counted.length, failed })
            : t('uploads.title', { done, count: counted.length })}
        </h2>
        <button
          type="button"
          className="small-button"
          aria-expanded={!collapsed}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? t('uploads.show') : t('uploads.hide')}
        </button>
        {!active && (
          <button type="button" className="small-button" onClick={() => queue.clearFinished()}>
            {t('uploads.clear')}
          </button>
        )}
      </div>
      <progress
        max={100}
        value={total === 0 ? 0 : Math.round((loaded / total) * 100)}
        aria-label={t('uploads.overall')}
      />
      <p className="upload-summary">
        {t('uploads.progress', { loaded: formatBytes(loaded), size: formatBytes(total) })}
        {active && speed > 0 ? ` · ${perSecond(speed)}` : ''}
      </p>
      {!collapsed && (
        <ul className="upload-list" aria-label={t('uploads.list')}>
          {items.map((item) => (
            <UploadRow key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
};
