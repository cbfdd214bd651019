import type { ArchiveTier, FolderWithBreadcrumb } from '@myfile/contract';
import { Trans, useTranslation } from '../i18n/i18n.js';
import { JobProgress } from './job-progress.js';
import { useFolderJob } from './use-folder-job.js';

type Props = {
  folder: Pick<FolderWithBreadcrumb, 'id' | 'storageState' | 'archiveError' | 'archiveJobId'>;
  /** Id of the sentence saying why writes are off, for the disabled buttons to point at. */
  reasonId: string;
  /** The server's cold tier, for how long a restore is said to take. */
  coldTier?: ArchiveTier | undefined;
  onRestore(): void;
};

/** The state of an archived, archiving or restoring folder, its live progress, and why it is read-only. */
export const ArchiveBanner = ({ folder, reasonId, coldTier, onRestore }: Props) => {
  const { t } = useTranslation();
  const job = useFolderJob(folder, folder.archiveJobId);
  const state = folder.storageState;
  if (state === 'hot') return null;
  return (
    <section className={`archive-banner archive-banner-${state}`} aria-label={t('archive.status')}>
      {state === 'archiving' && (
        <>
          <p>
            <Trans i18nKey="archive.archiving" components={{ strong: <strong /> }} />{' '}
            <span id={reasonId}>{t('archive.readOnlyUntilRestored')}</span>
          </p>
          {job && <JobProgress job={job} label={t('archive.archiveProgress')} />}
        </>
      )}
      {state === 'restoring' && (
        <>
          <p>
            <strong>{t('archive.restoring')}</strong>{' '}
            {coldTier?.restore === 'immediate'
              ? t('archive.backFromDisk')
              : t('archive.backFromCold')}{' '}
            <span id={reasonId}>{t('archive.readOnlyUntilBack')}</span>
          </p>
          {job && <JobProgress job={job} label={t('archive.restoreProgress')} />}
        </>
      )}
      {state === 'archived' && (
        <>
          <p>
            <strong>{t('archive.archived')}</strong>{' '}
            <span id={reasonId}>{t('archive.archivedReadOnly')}</span>
          </p>
          {folder.archiveError && (
            <p role="alert" className="archive-error">
              {t('archive.lastRestoreFailed', { reason: folder.archiveError })}
            </p>
          )}
          <button type="button" className="button primary" onClick={onRestore}>
            {folder.archiveError ? t('common.tryAgain') : t('archive.restore')}
          </button>
        </>
      )}
    </section>
  );
};
