export type FolderView = 'list' | 'grid';

const keyOf = (folderId: string) => `myfile.view.${folderId}`;

/** The view last chosen for this folder in this browser (storage may be off: the list). */
export const readViewPreference = (folderId: string): FolderView => {
  try {
    return localStorage.getItem(keyOf(folderId)) === 'grid' ? 'grid' : 'list';
  } catch {
    return 'list';
  }
};

export const saveViewPreference = (folderId: string, view: FolderView) => {
  try {
    if (view === 'list') localStorage.removeItem(keyOf(folderId));
    else localStorage.setItem(keyOf(folderId), view);
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
};
