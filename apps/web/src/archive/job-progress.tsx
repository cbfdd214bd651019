import { formatBytes } from '../api/format.js';
import { t } from '../i18n/i18n.js';
import type { JobView } from './archive-api.js';

type Counts = { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number };

const count = (progress: JobView['progress'], key: string) => {
  const value = progress?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

const countsOf = (job: JobView): Counts => ({
  filesDone: count(job.progress, 'filesDone'),
  filesTotal: count(job.progress, 'filesTotal'),
  bytesDone: count(job.progress, 'bytesDone'),
  bytesTotal: count(job.progress, 'bytesTotal'),
});

/** Done as a percentage, by bytes when the job knows the total, else by files. */
export const jobPercent = (job: JobView): number | undefined => {
  const { filesDone, filesTotal, bytesDone, bytesTotal } = countsOf(job);
  if (job.status === 'done') return 100;
  if (bytesTotal > 0) return Math.floor((bytesDone / bytesTotal) * 100);
  if (filesTotal > 0) return Math.floor((filesDone / filesTotal) * 100);
  return undefined;
};

/** "3 of 40 files · 1.2 MiB of 5 MiB", or what the job is waiting for. */
export const jobProgressText = (job: JobView): string => {
  if (!job.progress) {
    return job.status === 'queued' ? t('archive.waitingToStart') : t('archive.starting');
  }
  const { filesDone, filesTotal, bytesDone, bytesTotal } = countsOf(job);
  const files = t('archive.filesOf', { done: filesDone, count: filesTotal });
  const bytes =
    bytesTotal > 0
      ? t('archive.bytesOf', { done: formatBytes(bytesDone), total: formatBytes(bytesTotal) })
      : formatBytes(bytesDone);
  const pending = count(job.progress, 'filesPending');
  const parts = [files, bytes];
  if (pending > 0) parts.push(t('archive.waitingForCold', { count: pending }));
  return parts.join(' · ');
};

/** A bar and a sentence for the folder banner. */
export const JobProgress = ({ job, label }: { job: JobView; label: string }) => {
  const percent = jobPercent(job);
  return (
    <div className="job-progress">
      <progress aria-label={label} max={100} value={percent} />
      <span className="job-progress-text">{jobProgressText(job)}</span>
    </div>
  );
};
