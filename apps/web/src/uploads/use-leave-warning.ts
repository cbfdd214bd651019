import { useEffect } from 'react';
import type { UploadQueue } from './upload-queue.js';

const unfinished = (queue: UploadQueue) =>
  queue
    .getSnapshot()
    .some(
      (item) => item.status === 'queued' || item.status === 'uploading' || item.status === 'paused',
    );

/**
 * Closing or reloading the tab while files are still going up (or paused) asks first: the
 * browser shows its own "Leave site?" prompt, which is all a page may do.
 */
export const useLeaveWarning = (queue: UploadQueue) => {
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (unfinished(queue)) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [queue]);
};
