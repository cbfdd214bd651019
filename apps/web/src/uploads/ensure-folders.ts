import type { NodeDto } from '@myfile/contract';
import { ApiError } from '../api/api-error.js';
import { createFolder, fetchChildren } from '../files/files-api.js';

const findFolder = async (parentId: string, name: string) => {
  let cursor: string | null = null;
  const wanted = name.normalize('NFC').toLowerCase();
  do {
    const page = await fetchChildren(parentId, { sort: 'name', order: 'asc', cursor });
    const match = page.items.find(
      (node: NodeDto) =>
        node.kind === 'folder' && node.name.normalize('NFC').toLowerCase() === wanted,
    );
    if (match) return match.id;
    if (page.items.some((node) => node.kind === 'file')) return undefined;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
};

/**
 * Creates the folders a dropped tree needs (parents first), reusing ones that already exist,
 * and answers the folder id for every relative directory.
 */
export const ensureFolders = async (rootId: string, dirs: string[]) => {
  const ids = new Map<string, string>([['', rootId]]);
  const sorted = [...new Set(dirs)].filter(Boolean).sort();
  for (const dir of sorted) {
    const parts = dir.split('/');
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const path = parts.slice(0, depth).join('/');
      if (ids.has(path)) continue;
      const parentId = ids.get(parts.slice(0, depth - 1).join('/')) ?? rootId;
      const name = parts[depth - 1] ?? '';
      try {
        ids.set(path, (await createFolder(parentId, name)).id);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'name_conflict') throw error;
        const existing = await findFolder(parentId, name);
        if (!existing) throw error;
        ids.set(path, existing);
      }
    }
  }
  return ids;
};
