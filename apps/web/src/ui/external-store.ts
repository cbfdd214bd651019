import { useSyncExternalStore } from 'react';

/** A value outside React that components read (and re-render on) through `useSelect`. */
export const createExternalStore = <T>(initial: T) => {
  let value = initial;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
  return {
    get: () => value,
    set: (next: T) => {
      value = next;
      for (const listener of listeners) listener();
    },
    useSelect: <S>(select: (current: T) => S): S =>
      useSyncExternalStore(subscribe, () => select(value)),
  };
};
