import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { DiskSpace } from '../../disk-space/disk-space.monitor.js';
import { startReadinessProbe } from './health.readiness.js';

const healthSchema = z.object({ status: z.literal('ok') });

export const healthRoutes =
  ({
    database,
    blobStorage,
    disk,
    readinessIntervalMs,
  }: {
    database: Pick<DatabaseHandle, 'ping'>;
    blobStorage: Pick<BlobStorage, 'ping'>;
    disk: Pick<DiskSpace, 'state'>;
    readinessIntervalMs?: number;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    const readiness = startReadinessProbe({
      checks: [
        { run: () => database.ping(), failure: 'The database is unreachable.' },
        { run: () => blobStorage.ping(), failure: 'The blob store is unreachable.' },
      ],
      disk,
      ...(readinessIntervalMs ? { intervalMs: readinessIntervalMs } : {}),
    });
    app.addHook('onClose', async () => readiness.stop());

    app.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'Alive when the process answers (it checks nothing else)',
          response: { 200: healthSchema },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary:
            'Ready when the database and the blob store answered the last background check (every second) and the disk under DATA_DIR is not low (507 insufficient_storage)',
          response: {
            200: healthSchema.extend({
              database: z.literal('ok'),
              storage: z.literal('ok'),
              disk: z.literal('ok'),
            }),
          },
        },
      },
      async () => {
        await readiness.assertReady();
        return {
          status: 'ok' as const,
          database: 'ok' as const,
          storage: 'ok' as const,
          disk: 'ok' as const,
        };
      },
    );
  };
