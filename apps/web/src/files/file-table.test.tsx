import { fireEvent, screen } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { FileTable } from './file-table.js';
import {
  makeNodes,
  renderEntries,
  useFixedLayout,
  type EntriesViewProps,
} from './entries.test-utils.js';

useFixedLayout();

const nodesOf = (count: number) =>
  makeNodes(count, () => ({ contentType: 'text/plain', thumbnailUrl: null }));

const List = (props: EntriesViewProps) => (
  <FileTable {...props} sort="name" order="asc" onSort={() => {}} />
);

const setup = (count: number, hasNextPage: boolean, starredIds?: ReadonlySet<string>) =>
  renderEntries(List, nodesOf(count), { hasNextPage, ...(starredIds ? { starredIds } : {}) });

test('renders only the rows in view out of 100,000', () => {
  setup(100_000, false);
  const rows = screen.getAllByRole('row');
  expect(rows.length).toBeGreaterThan(5);
  expect(rows.length).toBeLessThan(60);
  expect(screen.getByText('entry-00000')).toBeTruthy();
  expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('100001');
});

test('asks for the next page when the end of what is loaded comes into view', () => {
  const handlers = setup(20, true);
  expect(handlers.fetchNextPage).toHaveBeenCalled();
  expect(screen.getByText('Loading more…')).toBeTruthy();
});

test('does not ask for more while far from the end', () => {
  const handlers = setup(1_000, true);
  expect(handlers.fetchNextPage).not.toHaveBeenCalled();
});

test('keyboard: arrows move, Space selects, Enter opens, F2 renames, Delete trashes the selection', () => {
  const handlers = setup(50, false);
  const grid = screen.getByRole('grid');
  grid.focus();
  fireEvent.keyDown(grid, { key: 'ArrowDown' });
  fireEvent.keyDown(grid, { key: 'ArrowDown' });
  expect(grid.getAttribute('aria-activedescendant')).toBe('row-id-2');
  fireEvent.keyDown(grid, { key: 'Enter' });
  expect(handlers.onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-2' }));
  fireEvent.keyDown(grid, { key: 'F2' });
  expect(handlers.onStartRename).toHaveBeenCalledWith(expect.objectContaining({ id: 'id-2' }));
  fireEvent.keyDown(grid, { key: ' ' });
  fireEvent.keyDown(grid, { key: 'ArrowDown', shiftKey: true });
  expect(screen.getAllByRole('row', { selected: true })).toHaveLength(2);
  fireEvent.keyDown(grid, { key: 'Delete' });
  expect(handlers.onDelete).toHaveBeenCalledWith(['id-2', 'id-3']);
});

test('click, Ctrl-click and Shift-click select like a file manager', () => {
  setup(10, false);
  fireEvent.click(screen.getByText('entry-00001'));
  fireEvent.click(screen.getByText('entry-00004'), { shiftKey: true });
  expect(screen.getAllByRole('row', { selected: true })).toHaveLength(4);
  fireEvent.click(screen.getByText('entry-00002'), { ctrlKey: true });
  expect(screen.getAllByRole('row', { selected: true })).toHaveLength(3);
});

test('each row has a star toggle showing my star; toggling it leaves the selection alone', async () => {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (url === '/api/auth/csrf') {
      return new Response(JSON.stringify({ csrfToken: 'csrf-1' }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    return new Response(null, { status: 204 });
  });
  try {
    setup(10, false, new Set(['id-2']));
    expect(screen.queryAllByRole('button', { name: /^Star / }).length).toBeGreaterThan(5);
    const starred = screen.getByRole('button', { name: 'Unstar entry-00002' });
    expect(starred.getAttribute('aria-pressed')).toBe('true');
    const plain = screen.getByRole('button', { name: 'Star entry-00003' });
    expect(plain.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(plain);
    await screen.findByRole('button', { name: 'Unstar entry-00003' });
    expect(calls).toEqual(['PUT /api/stars/id-3']);
    // The click starred the row without choosing it.
    expect(document.querySelectorAll('[role="row"][aria-selected="true"]')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Unstar entry-00002' }));
    await screen.findByRole('button', { name: 'Star entry-00002' });
    expect(calls).toEqual(['PUT /api/stars/id-3', 'DELETE /api/stars/id-2']);
  } finally {
    vi.unstubAllGlobals();
  }
});

test('without my stars known, rows show no star toggle', () => {
  setup(10, false);
  expect(screen.queryAllByRole('button', { name: /^(Star|Unstar) / })).toHaveLength(0);
});
