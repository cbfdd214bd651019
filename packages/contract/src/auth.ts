import { z } from 'zod';
import { timestamp, uuid } from './formats.js';

export const csrfResponseSchema = z.object({ csrfToken: z.string() });
export const accountSchema = z
  .object({ id: uuid(), email: z.email(), emailVerified: z.boolean(), createdAt: timestamp() })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

export const signedInSchema = z
  .object({
    status: z.literal('signed_in'),
    user: z.object({ id: uuid(), email: z.email() }),
    csrfToken: z.string(),
  })
  .meta({ id: 'SignedIn' });
export type SignedIn = z.infer<typeof signedInSchema>;
export const registeredSchema = z.union([
  signedInSchema,
  z.object({ status: z.literal('verification_sent') }),
]);
export type Registered = z.infer<typeof registeredSchema>;
export const okSchema = z.object({ status: z.literal('ok') });

export const sessionSchema = z
  .object({
    id: uuid(),
    device: z.string(),
    ip: z.string().nullable(),
    createdAt: timestamp(),
    lastSeenAt: timestamp(),
    expiresAt: timestamp(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export type SessionDto = z.infer<typeof sessionSchema>;

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];
export const tokenSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    scopes: z.array(z.enum(tokenScopes)),
    createdAt: timestamp(),
    expiresAt: timestamp(),
    lastUsedAt: timestamp().nullable(),
  })
  .meta({ id: 'PersonalToken' });
export type TokenDto = z.infer<typeof tokenSchema>;
/** Answered once, when the token is made: only its hash is stored. */
export const createdTokenSchema = tokenSchema
  .extend({ token: z.string() })
  .meta({ id: 'CreatedPersonalToken' });
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const securityEventSchema = z
  .object({
    id: uuid(),
    type: z.string(),
    sessionId: uuid().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: timestamp(),
  })
  .meta({ id: 'SecurityEvent' });
export type SecurityEvent = z.infer<typeof securityEventSchema>;
