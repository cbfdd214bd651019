import type { DomainEvent } from '@myfile/contract';
import type { CacheTopic } from './metadata-cache.types.js';

const NONE: readonly CacheTopic[] = [];
const USAGE: readonly CacheTopic[] = ['usage'];
const BOTH: readonly CacheTopic[] = ['breadcrumbs', 'usage'];

/**
 * What a committed change makes stale. Usage counts live files and trashed bytes; a breadcrumb
 * names the ancestors of a folder, so any folder renamed, moved, trashed or brought back may
 * change the breadcrumbs of everything below it.
 */
export const topicsChangedBy = (event: DomainEvent): readonly CacheTopic[] => {
  switch (event.type) {
    case 'file.created':
    case 'file.updated':
    case 'file.trashed':
    case 'file.restored':
    case 'file.deleted':
      return USAGE;
    case 'folder.updated':
    case 'folder.moved':
    case 'folder.trashed':
    case 'folder.restored':
    case 'folder.deleted':
    case 'folder.emptied':
      return BOTH;
    case 'file.moved':
    case 'folder.created':
    case 'folder.archived':
    case 'folder.unarchived':
    case 'folder.restore_failed':
    case 'folder.archive_failed':
    case 'job.updated':
    case 'session.revoked':
    case 'token.revoked':
    case 'share.changed':
      return NONE;
  }
};

/** The topics each user's changes make stale, one entry per user. */
export const topicsByUser = (events: readonly DomainEvent[]): Map<string, CacheTopic[]> => {
  const byUser = new Map<string, Set<CacheTopic>>();
  for (const event of events) {
    const topics = topicsChangedBy(event);
    if (topics.length === 0) continue;
    const set = byUser.get(event.userId) ?? new Set<CacheTopic>();
    for (const topic of topics) set.add(topic);
    byUser.set(event.userId, set);
  }
  return new Map([...byUser].map(([userId, set]) => [userId, [...set]]));
};
