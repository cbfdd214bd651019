import { z } from 'zod';

export const csrfResponseSchema = z.object({ csrfToken: z.string() });
export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

export const signedInSchema = z.object({
  status: z.literal('signed_in'),
  user: z.object({ id: z.string(), email: z.string() }),
  csrfToken: z.string(),
});
export type SignedIn = z.infer<typeof signedInSchema>;
export const registeredSchema = z.union([
  signedInSchema,
  z.object({ status: z.literal('verification_sent') }),
]);
export type Registered = z.infer<typeof registeredSchema>;
export const okSchema = z.object({ status: z.literal('ok') });

export const sessionSchema = z.object({
  id: z.string(),
  device: z.string(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export type SessionDto = z.infer<typeof sessionSchema>;

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];
export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(tokenScopes)),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenDto = z.infer<typeof tokenSchema>;
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const securityEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  sessionId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;
