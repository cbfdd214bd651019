import { z } from 'zod';
import { count, timestamp, uuid } from './formats.js';
import { nodeSchema } from './nodes.js';

export const linkRoles = ['viewer', 'uploader'] as const;
export type LinkRoleDto = (typeof linkRoles)[number];

/** What the owner sets when making a link; everything but the role is optional. */
export const createLinkBodySchema = z.object({
  role: z.enum(linkRoles),
  label: z.string().trim().max(200).optional(),
  /** At least 8 characters; the visitor types it once and then holds a cookie for this link. */
  password: z.string().min(8).max(256).optional(),
  /**
   * With a password, a browser session must have signed in or confirmed it is you in the last
   * few minutes, or send the account's current password here (403 reauth_required otherwise).
   */
  currentPassword: z.string().min(1).max(1024).optional(),
  expiresAt: z.iso.datetime().optional(),
  downloadLimit: z.number().int().min(1).max(1_000_000).optional(),
});
export type CreateLinkBody = z.infer<typeof createLinkBodySchema>;

/** A share link as its owner sees it, with its counters. */
export const shareLinkSchema = z
  .object({
    id: uuid(),
    nodeId: uuid(),
    role: z.enum(linkRoles),
    label: z.string(),
    hasPassword: z.boolean(),
    /**
     * Whether its owner can copy it again (`GET /api/links/:id/url`): false for links made before
     * tokens were kept, and for revoked links.
     */
    copyable: z.boolean(),
    expiresAt: timestamp().nullable(),
    downloadLimit: count().nullable(),
    downloadCount: count(),
    accessCount: count(),
    lastAccessedAt: timestamp().nullable(),
    revokedAt: timestamp().nullable(),
    createdAt: timestamp(),
  })
  .meta({ id: 'ShareLink' });
export type ShareLinkDto = z.infer<typeof shareLinkSchema>;

/** Answered when the link is made, and to its owner again at `GET /api/links/:id/url`. */
export const createdLinkSchema = shareLinkSchema
  .extend({ token: z.string(), url: z.string() })
  .meta({ id: 'CreatedShareLink' });
export type CreatedLinkDto = z.infer<typeof createdLinkSchema>;

export const linkUrlSchema = z
  .object({ id: uuid(), token: z.string(), url: z.string() })
  .meta({ id: 'ShareLinkUrl' });
export type LinkUrlDto = z.infer<typeof linkUrlSchema>;

export const shareLinkListSchema = z
  .object({ items: z.array(shareLinkSchema) })
  .meta({ id: 'ShareLinkList' });

/**
 * What a visitor learns on opening a link. `node` is null until a password-protected link is
 * unlocked; a drop box shows its folder's name only, never its content.
 */
export const linkVisitSchema = z
  .object({
    role: z.enum(linkRoles),
    label: z.string(),
    requiresPassword: z.boolean(),
    unlocked: z.boolean(),
    expiresAt: timestamp().nullable(),
    node: nodeSchema.nullable(),
    /** For unsafe requests made with the link's cookie: send it back as X-CSRF-Token. */
    csrfToken: z.string().nullable(),
  })
  .meta({ id: 'LinkVisit' });
export type LinkVisitDto = z.infer<typeof linkVisitSchema>;
