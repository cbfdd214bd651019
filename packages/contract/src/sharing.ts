import { z } from 'zod';
import { nodeSchema } from './nodes.js';

export const shareRoles = ['viewer', 'editor'] as const;
export type ShareRoleDto = (typeof shareRoles)[number];

/** A person's access to an item, as its owner sees it. */
export const shareSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  email: z.string(),
  role: z.enum(shareRoles),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ShareDto = z.infer<typeof shareSchema>;

export const shareListSchema = z.object({ items: z.array(shareSchema) });

/** An item under "Shared with me": the node, my role on it and who shared it. */
export const sharedItemSchema = nodeSchema.extend({
  shareId: z.string(),
  role: z.enum(shareRoles),
  sharedBy: z.string(),
  sharedAt: z.string(),
});
export type SharedItemDto = z.infer<typeof sharedItemSchema>;

export const sharedPageSchema = z.object({
  items: z.array(sharedItemSchema),
  nextCursor: z.string().nullable(),
});

/** An item under "Shared by me": how many people and working links can open it. */
export const sharedByMeItemSchema = nodeSchema.extend({
  people: z.number(),
  links: z.number(),
  sharedAt: z.string(),
});
export type SharedByMeItemDto = z.infer<typeof sharedByMeItemSchema>;

export const sharedByMePageSchema = z.object({
  items: z.array(sharedByMeItemSchema),
  nextCursor: z.string().nullable(),
});
