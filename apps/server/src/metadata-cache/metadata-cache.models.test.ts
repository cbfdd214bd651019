import type { DomainEvent } from '@myfile/contract';
import { describe, expect, test } from 'vitest';
import { topicsByUser, topicsChangedBy } from './metadata-cache.models.js';

const summary = { id: 'n1', parentId: 'p1', name: 'a', size: 1, contentType: null };
const at = new Date(0).toISOString();

describe('what a change makes stale', () => {
  test('file changes touch usage only; a file move touches nothing', () => {
    for (const type of [
      'file.created',
      'file.updated',
      'file.trashed',
      'file.restored',
      'file.deleted',
    ] as const) {
      expect(topicsChangedBy({ type, userId: 'u', at, file: summary })).toEqual(['usage']);
    }
    expect(topicsChangedBy({ type: 'file.moved', userId: 'u', at, file: summary })).toEqual([]);
  });

  test('renaming, moving, trashing or bringing back a folder touches breadcrumbs and usage', () => {
    for (const type of [
      'folder.updated',
      'folder.moved',
      'folder.trashed',
      'folder.restored',
      'folder.deleted',
      'folder.emptied',
    ] as const) {
      expect(topicsChangedBy({ type, userId: 'u', at, folder: summary })).toEqual([
        'breadcrumbs',
        'usage',
      ]);
    }
    expect(topicsChangedBy({ type: 'folder.created', userId: 'u', at, folder: summary })).toEqual(
      [],
    );
    expect(
      topicsChangedBy({ type: 'folder.archived', userId: 'u', at, folder: summary, jobId: 'j' }),
    ).toEqual([]);
  });

  test('topics are grouped per user, each once', () => {
    const events: DomainEvent[] = [
      { type: 'file.created', userId: 'a', at, file: summary },
      { type: 'file.deleted', userId: 'a', at, file: summary },
      { type: 'folder.moved', userId: 'b', at, folder: summary },
      { type: 'session.revoked', userId: 'c', at, sessionId: 's' },
    ];
    expect(topicsByUser(events)).toEqual(
      new Map([
        ['a', ['usage']],
        ['b', ['breadcrumbs', 'usage']],
      ]),
    );
  });
});
