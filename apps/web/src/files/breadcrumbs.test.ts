import type { FolderWithBreadcrumb } from '@myfile/contract';
import { expect, test } from 'vitest';
import { breadcrumbTrail, isMyRoot } from './breadcrumbs.js';

const folder = (over: Partial<FolderWithBreadcrumb>): FolderWithBreadcrumb => ({
  id: '0190a000-0000-7000-8000-000000000001',
  kind: 'folder',
  parentId: null,
  name: 'team',
  size: 0,
  contentType: null,
  sha256: null,
  storageState: 'hot',
  archiveError: null,
  archiveJobId: null,
  thumbnailUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  breadcrumb: [],
  ...over,
});

test('my own top folder is "My files" alone', () => {
  expect(isMyRoot(folder({ role: 'owner' }))).toBe(true);
  expect(isMyRoot(folder({}))).toBe(true);
  expect(breadcrumbTrail(folder({ role: 'owner' })).map((crumb) => crumb.name)).toEqual([
    'My files',
  ]);
});

test('a folder shared with me has no parent, yet hangs under "Shared with me" by its name', () => {
  const shared = folder({ role: 'viewer' });
  expect(isMyRoot(shared)).toBe(false);
  expect(breadcrumbTrail(shared).map((crumb) => crumb.name)).toEqual(['Shared with me', 'team']);
});
