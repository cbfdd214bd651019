import type { DomainEvent } from '@myfile/contract';
import { folderUrl } from '../files/breadcrumbs.js';
import type { ToastLink } from '../ui/toasts.js';

type ArchiveToast = { message: string; tone: 'success' | 'error'; link?: ToastLink };

/** The news an archive or restore brings, in every open tab, whoever started it. */
export const archiveToast = (event: DomainEvent): ArchiveToast | undefined => {
  if (event.type === 'folder.archived')
    return { message: `Folder “${event.folder.name}” archived.`, tone: 'success' };
  if (event.type === 'folder.unarchived')
    return {
      message: `Folder “${event.folder.name}” restored.`,
      tone: 'success',
      link: { label: 'Open', to: folderUrl(event.folder.id) },
    };
  if (event.type === 'folder.restore_failed' || event.type === 'folder.archive_failed') {
    const reason = event.error ?? 'no reason given.';
    return {
      message:
        event.type === 'folder.restore_failed'
          ? `The restore of “${event.folder.name}” failed: ${reason}`
          : `Archiving “${event.folder.name}” failed: ${reason} Its files are being brought back.`,
      tone: 'error',
      link: { label: 'Open', to: folderUrl(event.folder.id) },
    };
  }
  return undefined;
};
