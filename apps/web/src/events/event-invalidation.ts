import type { DomainEvent, FolderWithBreadcrumb } from '@myfile/contract';
import type { QueryClient } from '@tanstack/react-query';
import { jobQueryKey } from '../archive/archive-api.js';

/** The `children` query keys a folder id may be cached under (the root is also `root`). */
const folderKeys = (queryClient: QueryClient, ids: (string | null | undefined)[]) => {
  const rootId = queryClient.getQueryData<FolderWithBreadcrumb>(['folder', 'root'])?.id;
  const keys = new Set<string>();
  for (const id of ids) {
    if (!id) continue;
    keys.add(id);
    if (id === rootId) keys.add('root');
  }
  return [...keys];
};

type Invalidate = (queryKey: readonly unknown[]) => void;

/**
 * Invalidates pushed changes' views in rounds: the keys asked for during a short window, each
 * once, and the next round only when the last one's refetches have settled. A bulk move of
 * 1,000 items pushes 1,000 events; invalidated one by one, each refetch cancelled the one before
 * while its request still ran, and the server answered thousands of listings of one folder.
 */
export const roundsOfInvalidation = (queryClient: QueryClient, windowMs = 100) => {
  const pending = new Map<string, readonly unknown[]>();
  // True from a round's first key until its refetches have settled with nothing new pending.
  let inRound = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async () => {
    timer = undefined;
    const keys = [...pending.values()];
    pending.clear();
    await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    if (pending.size > 0 && !stopped) timer = setTimeout(() => void flush(), windowMs);
    else inRound = false;
  };
  const invalidate: Invalidate = (queryKey) => {
    if (stopped) return;
    pending.set(JSON.stringify(queryKey), queryKey);
    if (inRound) return;
    inRound = true;
    timer = setTimeout(() => void flush(), windowMs);
  };
  // Unmounted (signed out, another session): a round still waiting for its window is dropped.
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  return { invalidate, stop };
};

/** Refreshes exactly the views one pushed change can have made stale. */
export const invalidateForEvent = (
  queryClient: QueryClient,
  event: DomainEvent,
  invalidate: Invalidate = (queryKey) => void queryClient.invalidateQueries({ queryKey }),
) => {
  switch (event.type) {
    case 'session.revoked':
      invalidate(['sessions']);
      invalidate(['security-events']);
      return;
    case 'token.revoked':
      invalidate(['tokens']);
      invalidate(['security-events']);
      return;
    case 'share.changed':
      invalidate(['shared-with-me']);
      invalidate(['folder']);
      invalidate(['children']);
      invalidate(['activity', event.node.id]);
      return;
    case 'job.updated':
      // The event carries the whole public job: progress shows without another request.
      queryClient.setQueryData(jobQueryKey(event.job.id), event.job);
      if (event.job.status === 'done' || event.job.status === 'failed') {
        invalidate(['folder']);
        invalidate(['children']);
      }
      return;
    case 'folder.archived':
    case 'folder.unarchived':
    case 'folder.restore_failed':
    case 'folder.archive_failed':
      // A whole subtree changed state: every cached folder view and history may show it.
      invalidate(['folder']);
      invalidate(['children']);
      invalidate(['activity']);
      return;
    case 'file.created':
    case 'file.updated':
    case 'file.moved':
    case 'file.trashed':
    case 'file.restored':
    case 'file.deleted':
    case 'folder.created':
    case 'folder.updated':
    case 'folder.moved':
    case 'folder.trashed':
    case 'folder.restored':
    case 'folder.deleted':
    case 'folder.emptied': {
      const node = 'file' in event ? event.file : event.folder;
      for (const id of folderKeys(queryClient, [node.parentId, event.previousParentId])) {
        invalidate(['children', id]);
      }
      if ('folder' in event) {
        invalidate(['folder', node.id]);
        invalidate(['children', node.id]);
      }
      invalidate(['activity', node.id]);
      invalidate(['usage']);
      invalidate(['search']);
      if (
        event.type.endsWith('trashed') ||
        event.type.endsWith('restored') ||
        event.type.endsWith('deleted')
      ) {
        invalidate(['trash']);
      }
      return;
    }
  }
};
