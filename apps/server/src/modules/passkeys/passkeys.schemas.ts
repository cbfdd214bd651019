import { z } from 'zod';

const b64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/)
  .max(65_536);
const transport = z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const extensionResults = z.object({
  credProps: z.object({ rk: z.boolean().optional() }).optional(),
});
const attachment = z.enum(['platform', 'cross-platform']).optional();

/** What `startRegistration()` of @simplewebauthn/browser answers. */
export const registrationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    authenticatorData: b64url.optional(),
    transports: z.array(transport).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url.optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: attachment,
});

/** What `startAuthentication()` of @simplewebauthn/browser answers. */
export const authenticationResponseSchema = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: attachment,
});

const challengeToken = z.string().min(10).max(2048);
const name = z.string().trim().min(1).max(100);
const currentPassword = z.string().min(1).max(1024).optional();

export const registerPasskeySchema = z.object({
  challengeToken,
  response: registrationResponseSchema,
  name: name.optional(),
  currentPassword,
});
export const renamePasskeySchema = z.object({ name, currentPassword });
export const recentAuthBodySchema = z.object({ currentPassword });
export const passkeyOptionsRequestSchema = z.object({
  pendingToken: z.string().min(10).max(2048).optional(),
});
export const passkeySignInSchema = z.object({
  challengeToken,
  response: authenticationResponseSchema,
  pendingToken: z.string().min(10).max(2048).optional(),
});
export const passkeyAssertionSchema = z.object({
  challengeToken,
  response: authenticationResponseSchema,
});

/** WebAuthn options JSON, passed to @simplewebauthn/browser as they are. */
export const ceremonyOptionsSchema = z
  .object({ options: z.record(z.string(), z.unknown()), challengeToken: z.string() })
  .meta({ id: 'PasskeyCeremony' });

export { okSchema, passkeySchema, signedInSchema } from '@myfile/contract';
