/** A file and the folders it sat in, relative to what was dropped or picked ("a/b" or ""). */
export type PickedFile = { file: File; dir: string };

const readAll = (reader: FileSystemDirectoryReader) =>
  new Promise<FileSystemEntry[]>((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });

const walk = async (entry: FileSystemEntry, dir: string, out: PickedFile[]): Promise<void> => {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ file, dir });
  } else if (entry.isDirectory) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    if (children.length === 0) out.push({ file: new File([], ''), dir: path });
    for (const child of children) await walk(child, path, out);
  }
};

/**
 * Files from a drop, walking into dropped folders. The browser empties the DataTransfer when
 * the event ends, so entries and files are taken before the first await.
 */
export const filesFromDrop = async (data: DataTransfer): Promise<PickedFile[]> => {
  const flat = [...data.files].map((file) => ({ file, dir: '' }));
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || entries.some((entry) => entry === null)) return flat;
  try {
    const out: PickedFile[] = [];
    for (const entry of entries) if (entry) await walk(entry, '', out);
    return out;
  } catch {
    return flat;
  }
};

/** Files from `<input webkitdirectory>`: their relative path names the folders. */
export const filesFromInput = (files: FileList): PickedFile[] =>
  [...files].map((file) => {
    const parts = (file.webkitRelativePath || file.name).split('/');
    parts.pop();
    return { file, dir: parts.join('/') };
  });
