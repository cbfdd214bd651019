import type { NodeDto } from '@myfile/contract';
import { fireEvent, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { FileTiles } from './file-tiles.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { makeNodes, renderEntries, useFixedLayout } from './entries.test-utils.js';
import { readViewPreference, saveViewPreference } from './view-preference.js';

useFixedLayout();
afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
});
// 2,000 tiles' worth of renders is slow on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const nodesOf = (count: number) =>
  makeNodes(count, (index) => ({
    contentType: 'image/png',
    thumbnailUrl: index === 2 ? '/api/files/id-2/thumbnail?v=a' : null,
  }));

const setup = (count: number, hasNextPage: boolean, selectionMode = false) =>
  renderEntries(FileTiles, nodesOf(count), { hasNextPage, selectionMode });

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

/** jsdom has no DataTransfer: enough of one for the drag's own type and its text. */
const dataTransfer = () => {
  const data = new Map<string, string>();
  return {
    get types() {
      return [...data.keys()];
    },
    setData: (type: string, value: string) => data.set(type, value),
    getData: (type: string) => data.get(type) ?? '',
    effectAllowed: 'all',
    dropEffect: 'none',
  };
};

const tileOf = (name: string) => {
  const tile = screen.getByText(name).closest('[role="gridcell"]');
  if (!tile) throw new Error(`No tile for ${name}.`);
  return tile;
};

test('a tile dragged onto a folder tile moves there, as in the list; only accepted folders take it', () => {
  const drag = {
    start: vi.fn(),
    accepts: vi.fn((node: NodeDto) => node.id === 'id-0'),
    drop: vi.fn(),
    end: vi.fn(),
  };
  renderEntries(FileTiles, nodesOf(10), { drag });
  expect(tileOf('entry-00005').getAttribute('draggable')).toBe('true');
  const moving = dataTransfer();
  fireEvent.dragStart(tileOf('entry-00005'), { dataTransfer: moving });
  expect(drag.start).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-5' }), 5);
  fireEvent.dragOver(tileOf('entry-00001'), { dataTransfer: moving });
  expect(tileOf('entry-00001').classList).not.toContain('drop-target');
  fireEvent.dragOver(tileOf('entry-00000'), { dataTransfer: moving });
  expect(tileOf('entry-00000').classList).toContain('drop-target');
  fireEvent.drop(tileOf('entry-00001'), { dataTransfer: moving });
  expect(drag.drop).not.toHaveBeenCalled();
  fireEvent.drop(tileOf('entry-00000'), { dataTransfer: moving });
  expect(drag.drop).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-0' }));
  expect(tileOf('entry-00000').classList).not.toContain('drop-target');
  // Files dragged in from the desktop are an upload, not a move.
  const desktop = dataTransfer();
  desktop.setData('Files', '');
  fireEvent.drop(tileOf('entry-00000'), { dataTransfer: desktop });
  expect(drag.drop).toHaveBeenCalledTimes(1);
  fireEvent.dragEnd(tileOf('entry-00005'), { dataTransfer: moving });
  expect(drag.end).toHaveBeenCalled();
});

test('read-only (no drag given): tiles are not draggable and show no star until stars are known', () => {
  setup(4, false);
  expect(tileOf('entry-00003').getAttribute('draggable')).toBeNull();
  expect(screen.queryAllByRole('button', { name: /^(Star|Unstar) / })).toHaveLength(0);
});

test("each tile has the list's star toggle; starring leaves the selection alone", async () => {
  const requests = stubFetch(({ url }) =>
    url === '/api/auth/csrf' ? json(200, { csrfToken: 'c' }) : new Response(null, { status: 204 }),
  );
  renderEntries(FileTiles, nodesOf(10), { starredIds: new Set(['id-2']) });
  const starred = screen.getByRole('button', { name: 'Unstar entry-00002' });
  expect(starred.getAttribute('aria-pressed')).toBe('true');
  fireEvent.click(screen.getByRole('button', { name: 'Star entry-00003' }));
  await screen.findByRole('button', { name: 'Unstar entry-00003' });
  expect(requests.map(({ method, url }) => `${method} ${url}`)).toContain('PUT /api/stars/id-3');
  expect(screen.queryAllByRole('gridcell', { selected: true })).toHaveLength(0);
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
