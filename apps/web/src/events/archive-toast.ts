import type { DomainEvent } from '@myfile/contract';
import { folderUrl } from '../files/breadcrumbs.js';
import { t } from '../i18n/i18n.js';
import type { ToastLink } from '../ui/toasts.js';

type ArchiveToast = { message: string; tone: 'success' | 'error'; link?: ToastLink };

/** The news an archive or restore brings, in every open tab, whoever started it. */
export const archiveToast = (event: DomainEvent): ArchiveToast | undefined => {
  if (event.type === 'folder.archived')
    return { message: t('live.folderArchived', { name: event.folder.name }), tone: 'success' };
  if (event.type === 'folder.unarchived')
    return {
      message: t('live.folderRestored', { name: event.folder.name }),
      tone: 'success',
      link: { label: t('live.open'), to: folderUrl(event.folder.id) },
    };
  if (event.type === 'folder.restore_failed' || event.type === 'folder.archive_failed') {
    const values = { name: event.folder.name, reason: event.error ?? t('live.noReason') };
    return {
      message:
        event.type === 'folder.restore_failed'
          ? t('live.restoreFailed', values)
          : t('live.archiveFailed', values),
      tone: 'error',
      link: { label: t('live.open'), to: folderUrl(event.folder.id) },
    };
  }
  return undefined;
};
