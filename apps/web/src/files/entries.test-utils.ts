import type { NodeDto } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createElement, useCallback, type ComponentType } from 'react';
import { afterAll, beforeAll, vi } from 'vitest';
import { ToastProvider } from '../ui/toasts.js';
import type { RowDrag } from './entry-input.js';
import type { FileTableProps } from './file-table.js';
import { useSelection } from './use-selection.js';

/**
 * jsdom has no layout: for the calling test file, every element measures 800 × 480 (four
 * 168 px tiles across, ten 48 px rows down), put back afterwards.
 */
export const useFixedLayout = () => {
  const descriptors = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'].map(
    (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
  );
  beforeAll(() => {
    for (const [name] of descriptors) {
      Object.defineProperty(HTMLElement.prototype, name, {
        configurable: true,
        get: () => (name.endsWith('Height') ? 480 : 800),
      });
    }
  });
  afterAll(() => {
    for (const [name, descriptor] of descriptors) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    }
  });
};

/** `count` entries named entry-00000…, the first two folders, the rest files shaped by `file`. */
export const makeNodes = (
  count: number,
  file: (index: number) => Pick<NodeDto, 'contentType' | 'thumbnailUrl'>,
): NodeDto[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `id-${index}`,
    kind: index < 2 ? 'folder' : 'file',
    parentId: 'root',
    name: `entry-${String(index).padStart(5, '0')}`,
    size: index,
    sha256: null,
    storageState: 'hot',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...(index < 2 ? { contentType: null, thumbnailUrl: null } : file(index)),
  }));

/** What the list and the grid both take: the list's props but its columns. */
export type EntriesViewProps = Omit<FileTableProps, 'sort' | 'order' | 'onSort'>;

/**
 * Renders one view of `items` (the list or the grid) as the folder page does: a real
 * selection, the handlers spied on, inside the providers its star toggles need.
 */
export const renderEntries = (
  View: ComponentType<EntriesViewProps>,
  items: NodeDto[],
  options: {
    hasNextPage?: boolean;
    selectionMode?: boolean;
    starredIds?: ReadonlySet<string>;
    drag?: RowDrag;
  } = {},
) => {
  const handlers = {
    fetchNextPage: vi.fn(),
    onOpen: vi.fn(),
    onDelete: vi.fn<(ids: string[]) => void>(),
    onStartRename: vi.fn(),
  };
  const Harness = () => {
    const idAt = useCallback((index: number) => items[index]?.id, []);
    const { selection, select, focus, selectIds, clear } = useSelection(idAt);
    return createElement(View, {
      label: 'Contents',
      items,
      hasNextPage: options.hasNextPage ?? false,
      isFetchingNextPage: false,
      fetchNextPage: handlers.fetchNextPage,
      selection,
      select,
      focus,
      selectAll: () => selectIds(items.map((item) => item.id)),
      clearSelection: clear,
      renamingId: null,
      onStartRename: handlers.onStartRename,
      onRename: () => {},
      onCancelRename: () => {},
      onOpen: handlers.onOpen,
      onDelete: () => handlers.onDelete([...selection.ids]),
      onContextMenu: () => {},
      selectionMode: options.selectionMode,
      drag: options.drag,
      starredIds: options.starredIds,
    });
  };
  render(
    createElement(
      QueryClientProvider,
      { client: new QueryClient() },
      createElement(ToastProvider, null, createElement(Harness)),
    ),
  );
  return handlers;
};
