import type { DomainEvent } from '@myfile/contract';
import { folderUrl } from '../files/breadcrumbs.js';
import type { ToastLink } from '../ui/toasts.js';

type ArchiveToast = { message: string; tone: 'success' | 'error'; link?: ToastLink };

/** The news an archive or restore brings, in every open tab, whoever started it. */
export const archiveToast = (event: DomainEvent): ArchiveToast | undefined => {
  switch (event.type) {
    case 'folder.archived':
      return { message: `Folder “${event.folder.name}” archived.`, tone: 'success' };
    case 'folder.unarchived':
      return {
        message: `Folder “${event.folder.name}” restored.`,
        tone: 'success',
        link: { label: 'Open', to: folderUrl(event.folder.id) },
      };
    case 'folder.restore_failed':
      return {
        message: `The restore of “${event.folder.name}” failed: ${event.error ?? 'no reason given.'}`,
        tone: 'error',
        link: { label: 'Open', to: folderUrl(event.folder.id) },
      };
    case 'folder.archive_failed':
      return {
        message: `Archiving “${event.folder.name}” failed: ${event.error ?? 'no reason given.'} Its files are being brought back.`,
        tone: 'error',
        link: { label: 'Open', to: folderUrl(event.folder.id) },
      };
    case 'file.created':
    case 'file.updated':
    case 'file.moved':
    case 'file.trashed':
    case 'file.restored':
    case 'file.deleted':
    case 'folder.created':
    case 'folder.updated':
    case 'folder.moved':
    case 'folder.trashed':
    case 'folder.restored':
    case 'folder.deleted':
    case 'folder.emptied':
    case 'job.updated':
    case 'session.revoked':
      return undefined;
  }
};
