import { jobViewSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { getJobOfOwner, listJobsPage } from './jobs.usecases.js';

export const jobsRoutes =
  ({ db }: { db: Db }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/jobs/:id',
      {
        schema: {
          tags: ['jobs'],
          summary: 'A job I started (archive, restore…): status, progress, error',
          params: z.object({ id: z.uuid() }),
          response: { 200: z.object({ job: jobViewSchema }) },
        },
        preHandler: requireAuth('read'),
      },
      async (request) => ({
        job: await getJobOfOwner({ db, ownerId: getAuth(request).userId, id: request.params.id }),
      }),
    );

    app.get(
      '/api/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'My jobs, newest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(100).default(20),
            before: z.uuid().optional(),
          }),
          response: {
            200: z.object({ jobs: z.array(jobViewSchema), nextBefore: z.string().nullable() }),
          },
        },
        preHandler: requireAuth('read'),
      },
      async (request) => listJobsPage({ ...request.query, db, ownerId: getAuth(request).userId }),
    );
  };
