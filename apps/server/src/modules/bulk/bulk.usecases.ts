import { isAppError } from '../../app/app-error.js';
import { renameOrMoveNode, type FilesDeps } from '../nodes/nodes.usecases.js';
import type { Actor } from '../access/access.models.js';
import { trashNode } from '../trash/trash.usecases.js';

export type BulkItemResult =
  { id: string; ok: true } | { id: string; ok: false; error: { code: string; message: string } };

/** Each item succeeds or fails on its own, so one bad id does not undo the rest. */
const forEachItem = async (ids: readonly string[], run: (id: string) => Promise<unknown>) => {
  const results: BulkItemResult[] = [];
  for (const id of new Set(ids)) {
    try {
      await run(id);
      results.push({ id, ok: true });
    } catch (error) {
      // A refusal (not found, name taken, archived…) is this item's answer; anything else,
      // such as the database going away, fails the whole request as it would a single one.
      if (!isAppError(error) || error.statusCode >= 500) throw error;
      results.push({ id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  return results;
};

export const bulkMove = ({
  actor,
  ids,
  targetFolderId,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache' | 'settings'> & {
  actor: Actor;
  ids: string[];
  targetFolderId: string;
}) => forEachItem(ids, (id) => renameOrMoveNode({ ...deps, actor, id, parentId: targetFolderId }));

export const bulkDelete = ({
  actor,
  ids,
  ...deps
}: Pick<FilesDeps, 'db' | 'events' | 'cache'> & { actor: Actor; ids: string[] }) =>
  forEachItem(ids, (id) => trashNode({ ...deps, actor, id, recursive: true }));
