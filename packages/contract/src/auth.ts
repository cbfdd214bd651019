import { z } from 'zod';
import { timestamp, uuid } from './formats.js';

export const csrfResponseSchema = z.object({ csrfToken: z.string() });
export const accountSchema = z
  .object({
    id: uuid(),
    email: z.email(),
    emailVerified: z.boolean(),
    createdAt: timestamp(),
    isAdmin: z.boolean().describe('May use the administration routes (/api/admin).'),
  })
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

export const secondFactorMethods = ['totp', 'recovery_code', 'passkey'] as const;
export type SecondFactorMethod = (typeof secondFactorMethods)[number];
/** The password was right; a second factor finishes the sign-in with `pendingToken`. */
export const secondFactorRequiredSchema = z
  .object({
    status: z.literal('second_factor_required'),
    methods: z.array(z.enum(secondFactorMethods)),
    pendingToken: z.string(),
  })
  .meta({ id: 'SecondFactorRequired' });
export type SecondFactorRequired = z.infer<typeof secondFactorRequiredSchema>;
export const signInAnswerSchema = z.union([signedInSchema, secondFactorRequiredSchema]);
export type SignInAnswer = z.infer<typeof signInAnswerSchema>;

export const twoFactorStatusSchema = z
  .object({
    enabled: z.boolean(),
    enabledAt: timestamp().nullable(),
    recoveryCodesLeft: z.number().int(),
  })
  .meta({ id: 'TwoFactorStatus' });
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;
export const totpEnrolmentSchema = z
  .object({
    secret: z.string().describe('Base32, for typing into an app that cannot scan'),
    uri: z.string().describe('otpauth:// key URI'),
    qrCode: z.string().describe('The URI as a QR code: an SVG data: URL'),
  })
  .meta({ id: 'TotpEnrolment' });
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;
export const recoveryCodesSchema = z
  .object({ recoveryCodes: z.array(z.string()) })
  .meta({ id: 'RecoveryCodes' });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

export const passkeySchema = z
  .object({
    id: uuid(),
    name: z.string(),
    backedUp: z.boolean().describe('Synced by its provider to other devices'),
    createdAt: timestamp(),
    lastUsedAt: timestamp().nullable(),
  })
  .meta({ id: 'Passkey' });
export type PasskeyDto = z.infer<typeof passkeySchema>;

export const reauthMethods = ['password', 'code', 'passkey'] as const;
export type ReauthMethod = (typeof reauthMethods)[number];
/** How this account can confirm it is present before a sensitive action (POST /api/auth/reauth). */
export const reauthMethodsSchema = z
  .object({ methods: z.array(z.enum(reauthMethods)) })
  .meta({ id: 'ReauthMethods' });
export type ReauthMethods = z.infer<typeof reauthMethodsSchema>;
