import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from './passwords.models.js';

const email = z.string().trim().min(3).max(254).pipe(z.email());
// The policy (length, common list) answers with its own message; this only bounds the input.
const password = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH * 4);

export const credentialsSchema = z.object({ email, password });
export const forgotSchema = z.object({ email });
export const linkTokenSchema = z.object({ token: z.string().min(10).max(2048) });
export const resetSchema = linkTokenSchema.extend({ newPassword: password });
export const changePasswordSchema = z.object({ currentPassword: password, newPassword: password });

export const csrfResponseSchema = z.object({ csrfToken: z.string() });
export const accountSchema = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  createdAt: z.string(),
});
export const signedInSchema = z.object({
  status: z.literal('signed_in'),
  user: z.object({ id: z.string(), email: z.string() }),
  csrfToken: z.string(),
});
export const registeredSchema = z.union([
  signedInSchema,
  z.object({ status: z.literal('verification_sent') }),
]);
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
export const idParamsSchema = z.object({ id: z.uuid() });

const scope = z.enum(['read', 'write']);
export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(scope).min(1).max(2),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(scope),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });

export const eventsQuerySchema = z.object({
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const securityEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  sessionId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
