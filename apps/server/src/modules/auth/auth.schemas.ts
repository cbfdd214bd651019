import { tokenScopes } from '@myfile/contract';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from './passwords/passwords.models.js';

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

export {
  accountSchema,
  csrfResponseSchema,
  okSchema,
  reauthMethodsSchema,
  registeredSchema,
  sessionSchema,
  signInAnswerSchema,
} from '@myfile/contract';
export const idParamsSchema = z.object({ id: z.uuid() });

const scope = z.enum(tokenScopes);
export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(scope).min(1).max(2),
  expiresInDays: z.number().int().min(1).max(365).default(90),
  /** Needed unless this session signed in within the last five minutes. */
  currentPassword: password.optional(),
});
export { createdTokenSchema, tokenSchema } from '@myfile/contract';

export const eventsQuerySchema = z.object({
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export { securityEventSchema } from '@myfile/contract';
