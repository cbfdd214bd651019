import type { NodeDto } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useToasts, type ToastAction } from '../ui/toasts.js';
import { errorMessage } from '../api/api-error.js';
import { api } from '../api/http.js';
import { t } from '../i18n/i18n.js';
import { offerUndo, takeUndo, type Undo } from './undo.js';
import { copyNodes } from './copy-nodes.js';
import { createFolder, moveNodes, renameNode, throwFailures, trashNodes } from './files-api.js';

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
    const runUndo = async (undo: Undo | undefined) => {
      if (!undo) return;
      const toast = toasts.progress(t('files.undo.undoing', { what: undo.label() }));
      try {
        await undo.run();
        toast.finish(t('files.undo.undone', { what: undo.label() }));
      } catch (error) {
        toast.finish(errorMessage(error), 'error');
      } finally {
        refresh();
      }
    };
    /** Offers the change that takes this action back, as Ctrl+Z and as the toast's button. */
    const undoable = (label: () => string, run: () => Promise<void>): ToastAction => {
      const undo = { label, run };
      offerUndo(undo);
      return { label: t('files.undo.undo'), onSelect: () => void runUndo(takeUndo(undo)) };
    };

    return {
      /** Ctrl+Z: the last move, rename or trash taken back. */
      undo: () => runUndo(takeUndo()),
      createFolder: async (parentId: string, name: string) => {
        await createFolder(parentId, name);
        refresh();
      },
      rename: async (node: NodeDto, name: string) => {
        try {
          await renameNode(node, name);
          const undo = undoable(
            () => t('files.undo.rename', { name: node.name }),
            async () => {
              await renameNode(node, node.name);
            },
          );
          toasts.show(t('files.toasts.renamed', { name }), 'success', undefined, undo);
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
        const toast = toasts.progress(t('files.toasts.moving', { count: total }));
        try {
          const results = await moveNodes(
            nodes.map((node) => node.id),
            targetId,
            (done) => toast.update(t('files.toasts.movingProgress', { done, total })),
          );
          const clashIds = new Set(
            results
              .filter((item) => !item.ok && item.error?.code === 'name_conflict')
              .map((item) => item.id),
          );
          const movedIds = new Set(results.filter((item) => item.ok).map((item) => item.id));
          const moved = movedIds.size;
          throwFailures(
            results.filter((item) => !item.ok && !clashIds.has(item.id)),
            'moved',
          );
          // Back to where each came from (one request per former folder).
          const byParent = new Map<string, string[]>();
          for (const node of nodes) {
            if (!movedIds.has(node.id) || !node.parentId) continue;
            byParent.set(node.parentId, [...(byParent.get(node.parentId) ?? []), node.id]);
          }
          const undo =
            moved > 0
              ? undoable(
                  () => t('files.undo.move', { count: moved }),
                  async () => {
                    for (const [parentId, ids] of byParent) {
                      throwFailures(await moveNodes(ids, parentId), 'movedBack');
                    }
                  },
                )
              : undefined;
          toast.finish(
            clashIds.size > 0
              ? t('files.toasts.alreadyThere', {
                  moved: t('files.toasts.movedPart', { count: moved }),
                  count: clashIds.size,
                })
              : t('files.toasts.moved', { count: moved }),
            clashIds.size > 0 ? 'info' : 'success',
            undo,
          );
          return nodes.filter((node) => clashIds.has(node.id));
        } catch (error) {
          toast.finish(errorMessage(error), 'error');
          throw error;
        } finally {
          refresh();
        }
      },
      copy: (nodes: NodeDto[], targetId: string) =>
        copyNodes({ nodes, targetId, queryClient, toasts, refresh }),
      trash: async (ids: readonly string[]) => {
        const total = ids.length;
        const toast = toasts.progress(t('files.toasts.trashing', { count: total }));
        try {
          await trashNodes(ids, (done) =>
            toast.update(t('files.toasts.trashingProgress', { done, total })),
          );
          const undo = undoable(
            () => t('files.undo.trash', { count: total }),
            async () => {
              for (const id of ids) {
                await api(`/api/trash/${encodeURIComponent(id)}/restore`, { method: 'POST' });
              }
            },
          );
          toast.finish(t('files.toasts.trashed', { count: total }), 'success', undo);
        } catch (error) {
          toast.finish(errorMessage(error), 'error');
        }
        refresh();
      },
    };
  }, [queryClient, toasts]);
};
