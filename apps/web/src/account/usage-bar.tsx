import type { Usage } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '../api/format.js';
import { api } from '../api/http.js';
import { useTranslation } from '../i18n/i18n.js';

export const UsageBar = () => {
  const { t } = useTranslation();
  const usage = useQuery({ queryKey: ['usage'], queryFn: () => api<Usage>('/api/usage') });
  if (!usage.data) return null;
  const { usedBytes, quotaBytes, fileCount, trashBytes } = usage.data;
  const percent = quotaBytes > 0 ? Math.min(100, Math.round((usedBytes / quotaBytes) * 100)) : 0;
  return (
    <div className="usage">
      <progress max={100} value={percent} aria-label={t('usage.storageUsed')} />
      <span className="small muted">
        {t('usage.used', { used: formatBytes(usedBytes), quota: formatBytes(quotaBytes) })} ·{' '}
        {t('usage.files', { count: fileCount })}
        {trashBytes > 0 && ` · ${t('usage.inTrash', { size: formatBytes(trashBytes) })}`}
      </span>
    </div>
  );
};
