import { z } from 'zod';

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

export { nodeSchema, pathSchema } from '@myfile/contract';

/** Names are checked by the use case (normalizeName) so every entry point shares one rule set. */
export const nameSchema = z.string().max(4096);

export const limitSchema = z.coerce.number().int().min(1).max(1000);
