import { z } from 'zod';
import { count, timestamp } from './formats.js';
import { nodeSchema, pathSchema } from './nodes.js';

/** A stretch of extracted text around a content hit; `match` marks the words that matched. */
export const snippetSchema = z
  .array(z.object({ text: z.string(), match: z.boolean() }))
  .meta({ id: 'SearchSnippet' });
export type SnippetDto = z.infer<typeof snippetSchema>;

export const searchHitSchema = nodeSchema
  .extend({
    path: pathSchema,
    /** `name` when the name matched (exactly, by prefix, inside, or with one typo). */
    matchedBy: z.enum(['name', 'content']),
    trashed: z.boolean(),
    snippet: snippetSchema.nullable(),
    /** Whether the caller starred it, so a results page draws its stars without asking per row. */
    starred: z.boolean(),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchPageSchema = z
  .object({
    items: z.array(searchHitSchema),
    nextCursor: z.string().nullable(),
    /** Every hit, counted up to a cap; past it `totalIsExact` is false ("more than total"). */
    total: count(),
    totalIsExact: z.boolean(),
  })
  .meta({ id: 'SearchPage' });
export type SearchPage = z.infer<typeof searchPageSchema>;

export const starredItemSchema = nodeSchema
  .extend({ path: pathSchema, starredAt: timestamp() })
  .meta({ id: 'StarredItem' });
export const starredPageSchema = z
  .object({ items: z.array(starredItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'StarredPage' });
export type StarredPage = z.infer<typeof starredPageSchema>;

export const recentItemSchema = nodeSchema
  .extend({
    path: pathSchema,
    /** When the caller last uploaded, changed or opened it. */
    at: timestamp(),
    reason: z.enum(['changed', 'opened']),
  })
  .meta({ id: 'RecentItem' });
export const recentPageSchema = z
  .object({ items: z.array(recentItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'RecentPage' });
export type RecentPage = z.infer<typeof recentPageSchema>;

export const starStateSchema = z
  .object({ starred: z.boolean() })
  .meta({ id: 'StarState', description: 'Whether I starred this item.' });
export type StarState = z.infer<typeof starStateSchema>;

export const starredIdsSchema = z.object({ ids: z.array(z.uuid()) }).meta({
  id: 'StarredIds',
  description: 'The items of one folder (its direct children) that I starred, by id.',
});
export type StarredIds = z.infer<typeof starredIdsSchema>;
