import { z } from 'zod';
import { timestamp } from './formats.js';

export const activityKinds = [
  'created',
  'renamed',
  'moved',
  'new_version',
  'trashed',
  'restored',
  'archived',
  'unarchived',
  'shared',
  'share_changed',
  'unshared',
  'link_created',
  'link_revoked',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const activityEntrySchema = z
  .object({
    /** Null for the creation entry, which is the item's own creation time. */
    id: z.uuid().nullable(),
    kind: z.enum(activityKinds),
    at: timestamp(),
    /** Who did it: null when nobody is known (a link visitor, a job, a removed account). */
    actor: z.object({ email: z.string(), you: z.boolean() }).nullable(),
    /**
     * What changed, by kind: names (`previousName`, `name`), the folders of a move (`from`,
     * `to`, by name), a share's `email` and `role`, a link's `role`, a new version's `size`.
     * The folders of a move and everything about sharing are shown to the owner only.
     */
    detail: z.object({
      name: z.string().optional(),
      previousName: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      email: z.string().optional(),
      role: z.string().optional(),
      size: z.number().int().nonnegative().optional(),
    }),
  })
  .meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const activityPageSchema = z
  .object({ items: z.array(activityEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ActivityPage', description: 'An item’s history, newest first.' });
export type ActivityPage = z.infer<typeof activityPageSchema>;
