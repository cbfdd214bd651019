import { usageSchema, type Usage } from '@myfile/contract';
import { ensureUserSpace, type FilesDeps } from '../nodes/nodes.usecases.js';
import { getStorageUsage, sumTrashedBytes } from './usage.repository.js';
import { sumVersionBytes } from '../versions/versions.repository.js';

export const getUsage = ({
  ownerId,
  ...deps
}: Pick<FilesDeps, 'db' | 'cache' | 'settings'> & { ownerId: string }): Promise<Usage> =>
  deps.cache.read({
    topic: 'usage',
    userId: ownerId,
    key: 'total',
    schema: usageSchema,
    load: async () => {
      await ensureUserSpace({ ...deps, ownerId });
      const usage = await getStorageUsage(deps.db, { userId: ownerId });
      return {
        usedBytes: usage?.used_bytes ?? 0,
        quotaBytes: usage?.quota_bytes ?? deps.settings.defaultQuotaBytes,
        fileCount: usage?.file_count ?? 0,
        trashBytes: await sumTrashedBytes(deps.db, { userId: ownerId }),
        versionBytes: await sumVersionBytes(deps.db, { ownerId }),
      };
    },
  });
