import type { ArchiveTier, FolderWithBreadcrumb } from '@myfile/contract';
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
            <strong>Restoring…</strong>{' '}
            {coldTier?.restore === 'immediate'
              ? 'Its files are coming back from this server’s disk; this takes seconds to minutes.'
              : 'Its files are coming back from cold storage; from S3 Glacier this can take hours.'}{' '}
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
