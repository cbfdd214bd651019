import type { FolderWithBreadcrumb } from '@myfile/contract';
import { JobProgress } from './job-progress.js';
import { useFolderJob } from './use-folder-job.js';

type Props = {
  folder: Pick<FolderWithBreadcrumb, 'id' | 'storageState' | 'archiveError' | 'archiveJobId'>;
  /** Id of the sentence saying why writes are off, for the disabled buttons to point at. */
  reasonId: string;
  onRestore(): void;
};

/** The state of an archived, archiving or restoring folder, its live progress, and why it is read-only. */
export const ArchiveBanner = ({ folder, reasonId, onRestore }: Props) => {
  const job = useFolderJob(folder, folder.archiveJobId);
  const state = folder.storageState;
  if (state === 'hot') return null;
  return (
    <section className={`archive-banner archive-banner-${state}`} aria-label="Archive status">
      {state === 'archiving' && (
        <>
          <p>
            <strong>Archiving…</strong> Its files are moving to cold storage.{' '}
            <span id={reasonId}>This folder is read-only until it is archived and restored.</span>
          </p>
          {job && <JobProgress job={job} label="Archive progress" />}
        </>
      )}
      {state === 'restoring' && (
        <>
          <p>
            <strong>Restoring…</strong> Its files are coming back from cold storage; from S3 this
            can take hours.{' '}
            <span id={reasonId}>This folder stays read-only until the restore finishes.</span>
          </p>
          {job && <JobProgress job={job} label="Restore progress" />}
        </>
      )}
      {state === 'archived' && (
        <>
          <p>
            <strong>Archived.</strong>{' '}
            <span id={reasonId}>
              This folder and everything in it are read-only, and its files cannot be downloaded
              until it is restored.
            </span>
          </p>
          {folder.archiveError && (
            <p role="alert" className="archive-error">
              The last restore failed: {folder.archiveError}
            </p>
          )}
          <button type="button" className="button primary" onClick={onRestore}>
            {folder.archiveError ? 'Try again' : 'Restore…'}
          </button>
        </>
      )}
    </section>
  );
};
