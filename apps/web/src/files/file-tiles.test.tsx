import type { NodeDto } from '@myfile/contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { useCallback } from 'react';
import { afterEach, expect, test, vi } from 'vitest';
import { FileTiles } from './file-tiles.js';
import { makeNodes, useFixedLayout } from './entries.test-utils.js';
import { useSelection } from './use-selection.js';
import { readViewPreference, saveViewPreference } from './view-preference.js';

useFixedLayout();
afterEach(() => localStorage.clear());
// 2,000 tiles' worth of renders is slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const nodesOf = (count: number) =>
  makeNodes(count, (index) => ({
    contentType: 'image/png',
    thumbnailUrl: index === 2 ? '/api/files/id-2/thumbnail?v=a' : null,
  }));

const Harness = (props: {
  items: NodeDto[];
  hasNextPage: boolean;
  fetchNextPage(): void;
  onOpen(node: NodeDto): void;
  onDelete(ids: string[]): void;
  onStartRename(node: NodeDto): void;
  selectionMode?: boolean;
}) => {
  const idAt = useCallback((index: number) => props.items[index]?.id, [props.items]);
  const { selection, select, focus, selectIds, clear } = useSelection(idAt);
  return (
    <FileTiles
      label="Contents"
      items={props.items}
      hasNextPage={props.hasNextPage}
      isFetchingNextPage={false}
      fetchNextPage={props.fetchNextPage}
      selection={selection}
      select={select}
      focus={focus}
      selectAll={() => selectIds(props.items.map((item) => item.id))}
      clearSelection={clear}
      renamingId={null}
      onStartRename={props.onStartRename}
      onRename={() => {}}
      onCancelRename={() => {}}
      onOpen={props.onOpen}
      onDelete={() => props.onDelete([...selection.ids])}
      onContextMenu={() => {}}
      selectionMode={props.selectionMode}
    />
  );
};

const setup = (count: number, hasNextPage: boolean, selectionMode = false) => {
  const handlers = {
    fetchNextPage: vi.fn(),
    onOpen: vi.fn(),
    onDelete: vi.fn(),
    onStartRename: vi.fn(),
  };
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Harness
        items={nodesOf(count)}
        hasNextPage={hasNextPage}
        selectionMode={selectionMode}
        {...handlers}
      />
    </QueryClientProvider>,
  );
  return handlers;
};

test('a 2,000-entry folder: only the rows of tiles in view exist, four tiles a row', () => {
  setup(2_000, false);
  const tiles = screen.getAllByRole('gridcell');
  expect(tiles.length).toBeGreaterThan(4);
  expect(tiles.length).toBeLessThan(60);
  expect(screen.getAllByRole('row')[0]?.querySelectorAll('[role="gridcell"]')).toHaveLength(4);
  expect(screen.getByRole('grid').getAttribute('aria-colcount')).toBe('4');
});

test('the thumbnail (the 256 px one the server makes) fills the tile; others show their icon', () => {
  setup(4, false);
  const thumbnail = screen.getByRole('img', { name: 'Thumbnail of entry-00002' });
  expect(thumbnail.getAttribute('src')).toBe('/api/files/id-2/thumbnail?v=a');
  expect(thumbnail.closest('.tile-picture')).toBeTruthy();
  expect(document.querySelectorAll('.tile-picture svg.node-icon')).toHaveLength(3);
});

test('End reaches the last of 2,000 entries; near the end of what is loaded the next page is asked for', () => {
  const handlers = setup(2_000, true);
  expect(handlers.fetchNextPage).not.toHaveBeenCalled();
  const grid = screen.getByRole('grid');
  fireEvent.keyDown(grid, { key: 'End' });
  expect(grid.getAttribute('aria-activedescendant')).toBe('tile-id-1999');
  // jsdom does not scroll: what the browser does after End (the e2e drives a real one).
  grid.scrollTop = (2_000 / 4) * 208 - 480;
  fireEvent.scroll(grid);
  expect(screen.getByText('entry-01999')).toBeTruthy();
  expect(handlers.fetchNextPage).toHaveBeenCalled();
});

test('keyboard: → ← by one, ↓ ↑ by a row, Space selects, Shift extends, Enter opens, F2, Delete', () => {
  const handlers = setup(50, false);
  const grid = screen.getByRole('grid');
  fireEvent.keyDown(grid, { key: 'ArrowRight' });
  fireEvent.keyDown(grid, { key: 'ArrowDown' });
  expect(grid.getAttribute('aria-activedescendant')).toBe('tile-id-5');
  fireEvent.keyDown(grid, { key: 'ArrowLeft' });
  expect(grid.getAttribute('aria-activedescendant')).toBe('tile-id-4');
  fireEvent.keyDown(grid, { key: 'ArrowUp' });
  expect(grid.getAttribute('aria-activedescendant')).toBe('tile-id-0');
  fireEvent.keyDown(grid, { key: 'ArrowDown' });
  fireEvent.keyDown(grid, { key: 'Enter' });
  expect(handlers.onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-4' }));
  fireEvent.keyDown(grid, { key: 'F2' });
  expect(handlers.onStartRename).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-4' }));
  fireEvent.keyDown(grid, { key: ' ' });
  fireEvent.keyDown(grid, { key: 'ArrowRight', shiftKey: true });
  expect(screen.getAllByRole('gridcell', { selected: true })).toHaveLength(2);
  fireEvent.keyDown(grid, { key: 'Delete' });
  expect(handlers.onDelete).toHaveBeenCalledWith(['id-4', 'id-5']);
  fireEvent.keyDown(grid, { key: 'a', ctrlKey: true });
  expect(screen.getAllByRole('gridcell', { selected: true }).length).toBeGreaterThan(10);
  fireEvent.keyDown(grid, { key: 'Escape' });
  expect(screen.queryAllByRole('gridcell', { selected: true })).toHaveLength(0);
});

test('click, Ctrl-click and Shift-click select as in the list; a double click opens', () => {
  const handlers = setup(10, false);
  fireEvent.click(screen.getByText('entry-00001'));
  fireEvent.click(screen.getByText('entry-00004'), { shiftKey: true });
  expect(screen.getAllByRole('gridcell', { selected: true })).toHaveLength(4);
  fireEvent.click(screen.getByText('entry-00002'), { ctrlKey: true });
  expect(screen.getAllByRole('gridcell', { selected: true })).toHaveLength(3);
  fireEvent.doubleClick(screen.getByText('entry-00007'));
  expect(handlers.onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-7' }));
});

test('in selection mode (a phone\'s "Select") a tap adds or removes a tile and opens nothing', () => {
  const handlers = setup(10, false, true);
  fireEvent.click(screen.getByText('entry-00003'));
  fireEvent.click(screen.getByText('entry-00005'));
  expect(screen.getAllByRole('gridcell', { selected: true })).toHaveLength(2);
  fireEvent.click(screen.getByText('entry-00003'));
  expect(screen.getAllByRole('gridcell', { selected: true })).toHaveLength(1);
  fireEvent.doubleClick(screen.getByText('entry-00006'));
  expect(handlers.onOpen).not.toHaveBeenCalled();
});

test('the view is remembered per folder; the list when nothing (or something odd) was saved', () => {
  expect(readViewPreference('f1')).toBe('list');
  saveViewPreference('f1', 'grid');
  expect(readViewPreference('f1')).toBe('grid');
  expect(readViewPreference('f2')).toBe('list');
  localStorage.setItem('myfile.view.f2', 'carousel');
  expect(readViewPreference('f2')).toBe('list');
  saveViewPreference('f1', 'list');
  expect(readViewPreference('f1')).toBe('list');
});
