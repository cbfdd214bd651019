import { act, renderHook } from '@testing-library/react';
import { expect, test } from 'vitest';
import { useSelection } from './use-selection.js';

const ids = ['a', 'b', 'c', 'd', 'e'];
const idAt = (index: number) => ids[index];

test('click selects one, Ctrl toggles, Shift extends from the anchor', () => {
  const { result } = renderHook(() => useSelection(idAt));
  act(() => result.current.select(1, 'only'));
  expect([...result.current.selection.ids]).toEqual(['b']);
  act(() => result.current.select(3, 'extend'));
  expect([...result.current.selection.ids]).toEqual(['b', 'c', 'd']);
  act(() => result.current.select(2, 'toggle'));
  expect([...result.current.selection.ids]).toEqual(['b', 'd']);
  act(() => result.current.selectIds(ids));
  expect(result.current.selection.ids.size).toBe(5);
  act(() => result.current.clear());
  expect(result.current.selection.ids.size).toBe(0);
  expect(result.current.selection.active).toBe(2);
});

test('Shift+↓ from a row only focused (no anchor yet) selects that row and the next', () => {
  const { result } = renderHook(() => useSelection(idAt));
  act(() => result.current.focus(1));
  act(() => result.current.select(2, 'extend'));
  expect([...result.current.selection.ids]).toEqual(['b', 'c']);
});
