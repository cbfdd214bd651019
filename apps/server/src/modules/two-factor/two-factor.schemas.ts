import { z } from 'zod';

const code = z.string().trim().min(6).max(40);
const password = z.string().min(1).max(1024);
/** Sent by an older session instead of reauthenticating first (see requireRecentAuth). */
const currentPassword = password.optional();

export const confirmTotpSchema = z.object({ code, currentPassword });
export const recentAuthBodySchema = z.object({ currentPassword });
/** `password`: required when the account has one; an account made by a provider proves a recent sign-in instead. */
export const disableTwoFactorSchema = z.object({ password: password.optional(), code });
export const secondFactorSignInSchema = z.object({
  pendingToken: z.string().min(10).max(2048),
  code,
});

export {
  okSchema,
  recoveryCodesSchema,
  signedInSchema,
  totpEnrolmentSchema,
  twoFactorStatusSchema,
} from '@myfile/contract';
