import type { NodeDto } from '@myfile/contract';
import type { QueryClient } from '@tanstack/react-query';
import { errorMessage } from '../api/api-error.js';
import { formatBytes } from '../api/format.js';
import { api } from '../api/http.js';
import { fetchJob, isFinished, jobQueryKey, type JobView } from '../archive/archive-api.js';
import { t } from '../i18n/i18n.js';
import type { ProgressToast, useToasts } from '../ui/toasts.js';
import { copyFile } from './files-api.js';

/** Polled as well as told by `job.updated`: a socket that is down must not stall the toast. */
const POLL_MS = 1_000;

export const copyFolder = (id: string, targetFolderId: string) =>
  api<{ job: JobView }>(`/api/folders/${encodeURIComponent(id)}/copy`, {
    method: 'POST',
    body: { targetFolderId },
  });

const number = (job: JobView, key: string) => {
  const value = job.progress?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

const progressText = (name: string, job: JobView) =>
  job.progress
    ? t('copy.progress', {
        name,
        filesDone: number(job, 'filesDone'),
        filesTotal: number(job, 'filesTotal'),
        bytesDone: formatBytes(number(job, 'bytesDone')),
        bytesTotal: formatBytes(number(job, 'bytesTotal')),
      })
    : t('copy.waiting', { name });

/** Resolves with the job once it is done or failed, reporting each step it hears of. */
const followJob = (queryClient: QueryClient, first: JobView, onStep: (job: JobView) => void) =>
  new Promise<JobView>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      settled = true;
      clearTimeout(timer);
      unsubscribe();
    };
    const seen = (job: JobView) => {
      if (settled) return;
      onStep(job);
      if (!isFinished(job)) return;
      stop();
      resolve(job);
    };
    const key = jobQueryKey(first.id);
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      const [kind, id] = event.query.queryKey as unknown[];
      const data = event.query.state.data as JobView | undefined;
      if (kind === key[0] && id === key[1] && data) seen(data);
    });
    const poll = async () => {
      try {
        seen(await fetchJob(first.id));
      } catch (error) {
        stop();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!settled) timer = setTimeout(() => void poll(), POLL_MS);
    };
    queryClient.setQueryData(key, first);
    seen(first);
    if (!settled) timer = setTimeout(() => void poll(), POLL_MS);
  });

const followFolderCopy = async ({
  queryClient,
  toast,
  name,
  job,
  refresh,
}: {
  queryClient: QueryClient;
  toast: ProgressToast;
  name: string;
  job: JobView;
  refresh: () => void;
}) => {
  try {
    const end = await followJob(queryClient, job, (step) => toast.update(progressText(name, step)));
    if (end.status === 'done') toast.finish(t('copy.done', { name }), 'success');
    else toast.finish(t('copy.failed', { name, error: end.error ?? t('copy.stopped') }), 'error');
  } catch (error) {
    toast.finish(t('copy.failed', { name, error: errorMessage(error) }), 'error');
  } finally {
    refresh();
  }
};

/**
 * Files are copied one request each; each folder is copied by the server in a job, started
 * here (so a refusal reaches the caller) and then followed in a progress toast of its own.
 */
export const copyNodes = async ({
  nodes,
  targetId,
  queryClient,
  toasts,
  refresh,
}: {
  nodes: readonly NodeDto[];
  targetId: string;
  queryClient: QueryClient;
  toasts: ReturnType<typeof useToasts>;
  refresh: () => void;
}) => {
  const files = nodes.filter((node) => node.kind === 'file');
  try {
    for (const file of files) await copyFile(file.id, targetId);
    if (files.length > 0) toasts.show(t('copy.copiedFiles', { count: files.length }), 'success');
    for (const folder of nodes.filter((node) => node.kind === 'folder')) {
      const { job } = await copyFolder(folder.id, targetId);
      const toast = toasts.progress(progressText(folder.name, job));
      void followFolderCopy({ queryClient, toast, name: folder.name, job, refresh });
    }
  } finally {
    refresh();
  }
};
