import { useCallback, useState } from 'react';

export type Selection = { ids: ReadonlySet<string>; anchor: number | null; active: number };

/**
 * Which rows are selected and which one has the keyboard: click, Ctrl/⌘-click toggles,
 * Shift extends from the anchor, like every file manager.
 */
export const useSelection = (idAt: (index: number) => string | undefined) => {
  const [selection, setSelection] = useState<Selection>({
    ids: new Set(),
    anchor: null,
    active: 0,
  });

  const range = useCallback(
    (from: number, to: number) => {
      const ids = new Set<string>();
      for (let index = Math.min(from, to); index <= Math.max(from, to); index += 1) {
        const id = idAt(index);
        if (id) ids.add(id);
      }
      return ids;
    },
    [idAt],
  );

  const select = useCallback(
    (index: number, mode: 'only' | 'toggle' | 'extend') => {
      setSelection((current) => {
        const id = idAt(index);
        if (!id) return current;
        if (mode === 'extend') {
          // No anchor yet (the keyboard only moved focus): the range starts at the focused row.
          const anchor = current.anchor ?? current.active;
          return { ids: range(anchor, index), anchor, active: index };
        }
        if (mode === 'toggle') {
          const ids = new Set(current.ids);
          if (ids.has(id)) ids.delete(id);
          else ids.add(id);
          return { ids, anchor: index, active: index };
        }
        return { ids: new Set([id]), anchor: index, active: index };
      });
    },
    [idAt, range],
  );

  const focus = useCallback((index: number) => {
    setSelection((current) => ({ ...current, active: index }));
  }, []);

  /** Select exactly these (the whole folder, fetched to its end by the caller). */
  const selectIds = useCallback((ids: readonly string[]) => {
    setSelection((current) => ({ ...current, ids: new Set(ids), anchor: 0 }));
  }, []);

  const clear = useCallback(() => {
    setSelection((current) => ({ ids: new Set(), anchor: null, active: current.active }));
  }, []);

  return { selection, select, focus, selectIds, clear };
};
