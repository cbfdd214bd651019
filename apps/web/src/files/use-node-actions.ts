import type { NodeDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useToasts } from '../ui/toasts.js';
import { errorMessage } from '../api/api-error.js';
import {
  copyFile,
  createFolder,
  moveNodes,
  renameNode,
  throwFailures,
  trashNodes,
} from './files-api.js';

const count = (value: number) => value.toLocaleString('en');

/** The browser's actions on files and folders; each refreshes what it changed. */
export const useNodeActions = () => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  return useMemo(() => {
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: ['children'] });
      void queryClient.invalidateQueries({ queryKey: ['usage'] });
      void queryClient.invalidateQueries({ queryKey: ['trash'] });
      void queryClient.invalidateQueries({ queryKey: ['search'] });
    };
    const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
    return {
      createFolder: async (parentId: string, name: string) => {
        await createFolder(parentId, name);
        refresh();
      },
      rename: async (node: NodeDto, name: string) => {
        try {
          await renameNode(node, name);
        } catch (error) {
          toasts.showError(error);
        }
        refresh();
      },
      /**
       * Moves in batches with one toast counting them; items whose name is already taken in
       * the target are not an error but a question, so they are handed back for it.
       */
      move: async (nodes: readonly NodeDto[], targetId: string): Promise<NodeDto[]> => {
        const total = nodes.length;
        const toast = toasts.progress(`Moving ${plural(total, 'item')}…`);
        try {
          const results = await moveNodes(
            nodes.map((node) => node.id),
            targetId,
            (done) => toast.update(`Moving… ${count(done)} of ${count(total)}`),
          );
          const clashIds = new Set(
            results
              .filter((item) => !item.ok && item.error?.code === 'name_conflict')
              .map((item) => item.id),
          );
          const moved = results.filter((item) => item.ok).length;
          throwFailures(
            results.filter((item) => !item.ok && !clashIds.has(item.id)),
            'moved',
          );
          toast.finish(
            clashIds.size > 0
              ? `Moved ${plural(moved, 'item')}; ${count(clashIds.size)} already there by name.`
              : `Moved ${plural(moved, 'item')}.`,
            clashIds.size > 0 ? 'info' : 'success',
          );
          return nodes.filter((node) => clashIds.has(node.id));
        } catch (error) {
          toast.finish(errorMessage(error), 'error');
          throw error;
        } finally {
          refresh();
        }
      },
      copy: async (nodes: NodeDto[], targetId: string) => {
        try {
          for (const node of nodes) await copyFile(node.id, targetId);
          toasts.show(`Copied ${plural(nodes.length, 'file')}.`, 'success');
        } finally {
          refresh();
        }
      },
      trash: async (ids: readonly string[]) => {
        const total = ids.length;
        const toast = toasts.progress(`Moving ${plural(total, 'item')} to the trash…`);
        try {
          await trashNodes(ids, (done) =>
            toast.update(`Moving to the trash… ${count(done)} of ${count(total)}`),
          );
          toast.finish(`Moved ${plural(total, 'item')} to the trash.`);
        } catch (error) {
          toast.finish(errorMessage(error), 'error');
        }
        refresh();
      },
    };
  }, [queryClient, toasts]);
};
