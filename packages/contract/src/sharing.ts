import { z } from 'zod';
import { count, timestamp, uuid } from './formats.js';
import { nodeSchema } from './nodes.js';

export const shareRoles = ['viewer', 'editor'] as const;
export type ShareRoleDto = (typeof shareRoles)[number];

/** A person's access to an item, as its owner sees it. */
export const shareSchema = z
  .object({
    id: uuid(),
    nodeId: uuid(),
    email: z.email(),
    role: z.enum(shareRoles),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'Share' });
export type ShareDto = z.infer<typeof shareSchema>;

export const shareListSchema = z.object({ items: z.array(shareSchema) }).meta({ id: 'ShareList' });

/** An item under "Shared with me": the node, my role on it and who shared it. */
export const sharedItemSchema = nodeSchema
  .extend({
    shareId: uuid(),
    role: z.enum(shareRoles),
    sharedBy: z.string(),
    sharedAt: timestamp(),
  })
  .meta({ id: 'SharedWithMeItem' });
export type SharedItemDto = z.infer<typeof sharedItemSchema>;

export const sharedPageSchema = z
  .object({ items: z.array(sharedItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SharedWithMePage' });

/** An item under "Shared by me": how many people and working links can open it. */
export const sharedByMeItemSchema = nodeSchema
  .extend({
    people: count(),
    links: count(),
    sharedAt: timestamp(),
  })
  .meta({ id: 'SharedByMeItem' });
export type SharedByMeItemDto = z.infer<typeof sharedByMeItemSchema>;

export const sharedByMePageSchema = z
  .object({ items: z.array(sharedByMeItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SharedByMePage' });
