import { useEffect, useState } from 'react';
import { formatBytes } from '../api/format.js';
import type { UploadItem } from './upload-queue.js';
import { useUploadItems, useUploads } from './uploads-context.js';
import { useTransferSpeed } from './use-transfer-speed.js';

const statusText = (item: UploadItem) => {
  switch (item.status) {
    case 'queued':
      return 'Waiting';
    case 'uploading':
      return `${formatBytes(item.loaded)} of ${formatBytes(item.size)}`;
    case 'paused':
      return 'Paused';
    case 'done':
      return item.savedAs ? `Uploaded as “${item.savedAs}”` : 'Uploaded';
    case 'failed':
      return item.error ?? 'Failed';
    case 'cancelled':
      return 'Cancelled';
  }
};

const UploadRow = ({ item }: { item: UploadItem }) => {
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
              aria-label={`Pause ${item.name}`}
              onClick={() => queue.pause(item.id)}
            >
              Pause
            </button>
          )}
          {item.status === 'paused' && (
            <button
              type="button"
              className="small-button"
              aria-label={`Resume ${item.name}`}
              onClick={() => queue.resume(item.id)}
            >
              Resume
            </button>
          )}
          {item.status === 'failed' && (
            <button
              type="button"
              className="small-button"
              aria-label={`Retry ${item.name}`}
              onClick={() => queue.retry(item.id)}
            >
              Retry
            </button>
          )}
          {item.status !== 'done' && item.status !== 'cancelled' && (
            <button
              type="button"
              className="small-button"
              aria-label={`Cancel ${item.name}`}
              onClick={() => queue.cancel(item.id)}
            >
              Cancel
            </button>
          )}
        </span>
      </div>
      <progress max={100} value={Math.round(percent)} aria-label={`${item.name} upload progress`} />
      <span className={item.status === 'failed' ? 'upload-status error-text' : 'upload-status'}>
        {statusText(item)}
      </span>
    </li>
  );
};

/** Every upload of this tab: one bar per file, the total, the speed, and what to do next. */
export const UploadPanel = () => {
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
          Uploads: {done} of {counted.length} done{failed > 0 ? `, ${failed} failed` : ''}
        </h2>
        <button
          type="button"
          className="small-button"
          aria-expanded={!collapsed}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? 'Show' : 'Hide'}
        </button>
        {!active && (
          <button type="button" className="small-button" onClick={() => queue.clearFinished()}>
            Clear
          </button>
        )}
      </div>
      <progress
        max={100}
        value={total === 0 ? 0 : Math.round((loaded / total) * 100)}
        aria-label="Overall upload progress"
      />
      <p className="upload-summary">
        {formatBytes(loaded)} of {formatBytes(total)}
        {active && speed > 0 ? ` · ${formatBytes(speed)}/s` : ''}
      </p>
      {!collapsed && (
        <ul className="upload-list" aria-label="Files being uploaded">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
};
