import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unavailable } from '../../app/app-error.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { DatabaseHandle } from '../../db/database.js';

const healthSchema = z.object({ status: z.literal('ok') });

export const healthRoutes =
  ({
    database,
    blobStorage,
  }: {
    database: Pick<DatabaseHandle, 'ping'>;
    blobStorage: Pick<BlobStorage, 'ping'>;
  }): FastifyPluginAsyncZod =>
  async (app) => {
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
          summary: 'Ready when the database and the blob store answer',
          response: {
            200: healthSchema.extend({ database: z.literal('ok'), storage: z.literal('ok') }),
          },
        },
      },
      async () => {
        await withTimeout(database.ping(), 'The database is unreachable.');
        await withTimeout(blobStorage.ping(), 'The blob store is unreachable.');
        return { status: 'ok' as const, database: 'ok' as const, storage: 'ok' as const };
      },
    );
  };

/** A hung dependency must not hang the load balancer's probe. */
const withTimeout = async (check: Promise<void>, message: string, ms = 3000) => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } catch (error) {
    throw unavailable(message, error);
  } finally {
    clearTimeout(timer);
  }
};
