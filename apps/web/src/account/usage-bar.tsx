import type { Usage } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '../api/format.js';
import { api } from '../api/http.js';

export const UsageBar = () => {
  const usage = useQuery({ queryKey: ['usage'], queryFn: () => api<Usage>('/api/usage') });
  if (!usage.data) return null;
  const { usedBytes, quotaBytes, fileCount, trashBytes } = usage.data;
  const percent = quotaBytes > 0 ? Math.min(100, Math.round((usedBytes / quotaBytes) * 100)) : 0;
  return (
    <div className="usage">
      <progress max={100} value={percent} aria-label="Storage used" />
      <span className="small muted">
        {formatBytes(usedBytes)} of {formatBytes(quotaBytes)} used ·{' '}
        {fileCount.toLocaleString('en')} {fileCount === 1 ? 'file' : 'files'}
        {trashBytes > 0 && ` · ${formatBytes(trashBytes)} in the trash`}
      </span>
    </div>
  );
};
