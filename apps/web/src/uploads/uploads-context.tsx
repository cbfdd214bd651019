import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useToasts } from '../ui/toasts.js';
import type { PickedFile } from './dropped-files.js';
import { ensureFolders } from './ensure-folders.js';
import { createTransfer } from './transfers.js';
import { UploadQueue } from './upload-queue.js';
import { useLeaveWarning } from './use-leave-warning.js';

type Uploads = { queue: UploadQueue; upload(rootId: string, files: PickedFile[]): Promise<void> };

const UploadsContext = createContext<Uploads | null>(null);

export const UploadsProvider = ({ children }: { children: ReactNode }) => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const value = useMemo(() => {
    const queue = new UploadQueue({
      createTransfer,
      onUploaded: () => {
        void queryClient.invalidateQueries({ queryKey: ['children'] });
        void queryClient.invalidateQueries({ queryKey: ['usage'] });
      },
    });
    const upload = async (rootId: string, files: PickedFile[]) => {
      try {
        const folders = await ensureFolders(
          rootId,
          files.map((picked) => picked.dir),
        );
        if (folders.size > 1) void queryClient.invalidateQueries({ queryKey: ['children'] });
        queue.add(
          files
            .filter((picked) => picked.file.name !== '')
            .map((picked) => ({ file: picked.file, folderId: folders.get(picked.dir) ?? rootId })),
        );
      } catch (error) {
        toasts.showError(error);
      }
    };
    return { queue, upload };
  }, [queryClient, toasts]);
  useLeaveWarning(value.queue);
  return <UploadsContext value={value}>{children}</UploadsContext>;
};

export const useUploads = () => {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error('useUploads needs an UploadsProvider.');
  return uploads;
};

export const useUploadItems = () => {
  const { queue } = useUploads();
  return useSyncExternalStore(queue.subscribe, queue.getSnapshot);
};
