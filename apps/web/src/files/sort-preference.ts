import type { ChildSort, SortOrder } from '@myfile/contract';

const KEY = 'myfile.sort';
const sorts: readonly ChildSort[] = ['name', 'size', 'updatedAt', 'type'];

export type SortPreference = { sort: ChildSort; order: SortOrder };

/** The sort last chosen in this browser, for every folder (storage may be off: then by name). */
export const readSortPreference = (): SortPreference => {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<SortPreference> | null;
    if (
      saved &&
      sorts.includes(saved.sort as ChildSort) &&
      (saved.order === 'asc' || saved.order === 'desc')
    ) {
      return { sort: saved.sort as ChildSort, order: saved.order };
    }
  } catch {
    // Unreadable or blocked storage: the default below.
  }
  return { sort: 'name', order: 'asc' };
};

export const saveSortPreference = (preference: SortPreference) => {
  try {
    localStorage.setItem(KEY, JSON.stringify(preference));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
};
