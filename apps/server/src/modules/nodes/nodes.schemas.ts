import { z } from 'zod';

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

export { nodeSchema, pathSchema } from '@myfile/contract';

/** Names are checked by the use case (normalizeName) so every entry point shares one rule set. */
export const nameSchema = z.string().max(4096);

export const limitSchema = z.coerce.number().int().min(1).max(1000);

/**
 * Text that reaches the database: PostgreSQL cannot store U+0000 in text, so a NUL is refused
 * here (400) instead of failing the query (500).
 */
export const storableText = () =>
  z.string().refine((text) => !text.includes('\u0000'), 'must not contain U+0000');

/**
 * A point in time taken from a client (cursors): ISO 8601, within years 1970–9999, so a year
 * 0000 or 275760 never reaches a timestamp column.
 */
export const clientTimestamp = () =>
  z.iso.datetime().refine((text) => {
    const year = new Date(text).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, 'must be a date between 1970 and 9999');
