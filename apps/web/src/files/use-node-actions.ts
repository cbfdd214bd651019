import type { NodeDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useToasts } from '../ui/toasts.js';
import { copyFile, createFolder, moveNodes, renameNode, trashNodes } from './files-api.js';

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
    const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
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
      move: async (ids: string[], targetId: string) => {
        try {
          await moveNodes(ids, targetId);
          toasts.show(`Moved ${plural(ids.length, 'item')}.`, 'success');
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
      trash: async (ids: string[]) => {
        try {
          await trashNodes(ids);
          toasts.show(`Moved ${plural(ids.length, 'item')} to the trash.`, 'success');
        } catch (error) {
          toasts.showError(error);
        }
        refresh();
      },
    };
  }, [queryClient, toasts]);
};
