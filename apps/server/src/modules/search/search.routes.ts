import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchPageSchema } from '@myfile/contract';
import { z } from 'zod';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { clientTimestamp, limitSchema, storableText } from '../nodes/nodes.schemas.js';
import { searchMyFiles, type SearchDeps } from './search.usecases.js';

const byteBound = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

/** Search by name and content across all my folders. */
export const searchRoutes =
  (deps: SearchDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireAuth('read'));

    app.get(
      '/api/search',
      {
        schema: {
          tags: ['search'],
          summary: 'My files and folders matching q by name (also with one typo) or by content',
          description:
            'Ranked exact name, name prefix, name substring, name with one typo (queries of 4 characters or more), then content only; names compare case-folded and NFKC-normalised. Content search covers text files and PDFs once their text is extracted, with a highlighted snippet. Only the caller’s own files; trash only with includeTrash=true.',
          querystring: z.object({
            q: storableText().pipe(z.string().trim().min(1).max(255)),
            cursor: z.string().max(16384).optional(),
            limit: limitSchema.default(50),
            kind: z.enum(['file', 'folder']).optional(),
            modifiedAfter: clientTimestamp().optional(),
            modifiedBefore: clientTimestamp().optional(),
            minSize: byteBound,
            maxSize: byteBound,
            in: z
              .string()
              .max(64)
              .optional()
              .describe('A folder id (or root): only what lies below it.'),
            includeTrash: z
              .enum(['true', 'false'])
              .default('false')
              .transform((value) => value === 'true'),
          }),
          response: {
            200: searchPageSchema,
          },
        },
      },
      async (request) => {
        const { q, cursor, limit, ...query } = request.query;
        const result = await searchMyFiles({
          ...deps,
          ownerId: getAuth(request).userId,
          q,
          cursor,
          limit,
          filters: {
            kind: query.kind,
            modifiedAfter: query.modifiedAfter ? new Date(query.modifiedAfter) : undefined,
            modifiedBefore: query.modifiedBefore ? new Date(query.modifiedBefore) : undefined,
            minSize: query.minSize,
            maxSize: query.maxSize,
            folderId: query.in,
            includeTrash: query.includeTrash,
          },
        });
        return {
          items: result.hits.map(({ node, path, matchedBy, snippet, starred }) => ({
            ...toNodeDto(node),
            path,
            matchedBy,
            trashed: node.trashed_at !== null,
            snippet,
            starred,
          })),
          nextCursor: result.nextCursor,
          total: result.total,
          totalIsExact: result.totalIsExact,
        };
      },
    );
  };
