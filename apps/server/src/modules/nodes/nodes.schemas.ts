import { z } from 'zod';

export const idParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const nodeSchema = z.object({
  id: z.string(),
  kind: z.enum(['folder', 'file']),
  parentId: z.string().nullable(),
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  sha256: z.string().nullable(),
  storageState: z.enum(['hot', 'archiving', 'archived', 'restoring']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const pathSchema = z.array(z.object({ id: z.string(), name: z.string() }));

/** Names are checked by the use case (normalizeName) so every entry point shares one rule set. */
export const nameSchema = z.string().max(4096);

export const limitSchema = z.coerce.number().int().min(1).max(1000);
