import { invalidRequest } from '../../app/app-error.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { rateLimited } from '../auth/auth.errors.js';
import { findUserById } from '../auth/accounts/users.repository.js';
import { hasPassword } from '../auth/passwords/passwords.models.js';
import {
  assertRecentAuth,
  confirmCurrentPassword,
} from '../auth/recent-auth/recent-auth.usecases.js';
import { recordSecurityEvent, type RequestOrigin } from '../auth/security-events.repository.js';
import {
  hashRecoveryCode,
  isRecoveryCodeShaped,
  newRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './recovery-codes.models.js';
import { matchingTotpStep, newTotpSecret, qrCodeDataUrl, totpUri } from './totp.models.js';
import {
  noTotpEnrolment,
  twoFactorAlreadyOn,
  twoFactorOff,
  wrongSecondFactorCode,
} from './two-factor.errors.js';
import { SECOND_FACTOR_FAILURES } from './two-factor.limits.js';
import {
  confirmTotp,
  countUnusedRecoveryCodes,
  deleteTwoFactor,
  findTotpCredential,
  replaceRecoveryCodes,
  spendRecoveryCode,
  spendTotpStep,
  upsertPendingTotp,
} from './two-factor.repository.js';

type Actor = { userId: string; sessionId: string | null; origin: RequestOrigin };

export const getTwoFactorStatus = async ({ userId, ...deps }: AuthDeps & { userId: string }) => {
  const totp = await findTotpCredential(deps.db, userId);
  const enabled = Boolean(totp?.confirmed_at);
  return {
    enabled,
    enabledAt: totp?.confirmed_at?.toISOString() ?? null,
    recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(deps.db, userId) : 0,
  };
};

/** A new secret, waiting for its first code; shown as text, as an otpauth URI and as a QR code. */
export const startTotpEnrolment = async ({ userId, ...deps }: AuthDeps & { userId: string }) => {
  const user = await findUserById(deps.db, userId);
  if (!user) throw twoFactorOff();
  const secret = newTotpSecret();
  if (!(await upsertPendingTotp(deps.db, { userId, secret }))) throw twoFactorAlreadyOn();
  const uri = totpUri({ secret, label: user.email, issuer: new URL(deps.publicUrl).host });
  return { secret, uri, qrCode: await qrCodeDataUrl(uri) };
};

const issueRecoveryCodes = async ({ userId, ...deps }: AuthDeps & { userId: string }) => {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await replaceRecoveryCodes(deps.db, { userId, hashes: codes.map(hashRecoveryCode) });
  return codes;
};

/** Counts a wrong code against the account's budget before it is judged (see sign-in). */
const withCodeBudget = async <T>(
  { userId, ...deps }: AuthDeps & { userId: string },
  judge: () => Promise<T | undefined>,
): Promise<T | undefined> => {
  const key = `second-factor-fail:${userId}`;
  const attempt = await deps.counters.hit(key, SECOND_FACTOR_FAILURES.windowSeconds);
  if (attempt.count > SECOND_FACTOR_FAILURES.max) throw rateLimited(attempt.retryAfterSeconds);
  const result = await judge();
  if (result !== undefined) await deps.counters.undo(key);
  return result;
};

/** The first code from the app turns two-factor on and yields the recovery codes, shown once. */
export const confirmTotpEnrolment = async ({
  userId,
  sessionId,
  origin,
  code,
  ...deps
}: AuthDeps & Actor & { code: string }) => {
  const pending = await findTotpCredential(deps.db, userId);
  if (!pending) throw noTotpEnrolment();
  if (pending.confirmed_at) throw twoFactorAlreadyOn();
  const step = await withCodeBudget({ ...deps, userId }, async () =>
    matchingTotpStep({ secret: pending.secret, code: code.trim() }),
  );
  if (step === undefined) throw wrongSecondFactorCode(403);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await confirmTotp(trx, { userId, step }))) throw twoFactorAlreadyOn();
    const codes = await issueRecoveryCodes({ ...deps, db: trx, userId });
    await recordSecurityEvent(trx, { userId, type: 'two_factor_enabled', sessionId, origin });
    return codes;
  });
};

export type CodeKind = 'totp' | 'recovery_code';

/**
 * Accepts a current TOTP code (each 30-second step once) or an unused recovery code (once
 * ever). Wrong codes are limited per account and recorded; a used recovery code is recorded.
 */
export const verifySecondFactorCode = async ({
  userId,
  sessionId,
  origin,
  code: rawCode,
  during,
  failStatus,
  ...deps
}: AuthDeps &
  Actor & { code: string; during: string; failStatus: 401 | 403 }): Promise<CodeKind> => {
  const code = rawCode.trim();
  const kind = await withCodeBudget(
    { ...deps, userId },
    async (): Promise<CodeKind | undefined> => {
      const totp = await findTotpCredential(deps.db, userId);
      if (!totp?.confirmed_at) return undefined;
      if (isRecoveryCodeShaped(code)) {
        const spent = await spendRecoveryCode(deps.db, { userId, hash: hashRecoveryCode(code) });
        return spent ? 'recovery_code' : undefined;
      }
      const step = matchingTotpStep({ secret: totp.secret, code });
      if (step === undefined) return undefined;
      return (await spendTotpStep(deps.db, { userId, step })) ? 'totp' : undefined;
    },
  );
  if (!kind) {
    await recordSecurityEvent(deps.db, {
      userId,
      type: 'second_factor_failed',
      sessionId,
      origin,
      details: { during },
    });
    throw wrongSecondFactorCode(failStatus);
  }
  if (kind === 'recovery_code') {
    await recordSecurityEvent(deps.db, {
      userId,
      type: 'recovery_code_used',
      sessionId,
      origin,
      details: {
        during,
        recoveryCodesLeft: await countUnusedRecoveryCodes(deps.db, userId),
      },
    });
  }
  return kind;
};

/** Ten new codes; the old ones stop working. */
export const regenerateRecoveryCodes = async ({
  userId,
  sessionId,
  origin,
  ...deps
}: AuthDeps & Actor) => {
  const totp = await findTotpCredential(deps.db, userId);
  if (!totp?.confirmed_at) throw twoFactorOff();
  return deps.db.transaction().execute(async (trx) => {
    const codes = await issueRecoveryCodes({ ...deps, db: trx, userId });
    await recordSecurityEvent(trx, {
      userId,
      type: 'recovery_codes_regenerated',
      sessionId,
      origin,
    });
    return codes;
  });
};

/**
 * Needs both the password and a code: a stolen session alone, or a stolen password alone,
 * cannot strip the second factor. An account made by a provider has no password: a sign-in
 * (or reauthentication) from the last minutes stands in for it.
 */
export const disableTwoFactor = async ({
  userId,
  sessionId,
  origin,
  password,
  code,
  ...deps
}: AuthDeps & { userId: string; sessionId: string; origin: RequestOrigin } & {
  password?: string | undefined;
  code: string;
}) => {
  const totp = await findTotpCredential(deps.db, userId);
  if (!totp?.confirmed_at) throw twoFactorOff();
  const user = await findUserById(deps.db, userId);
  if (user && !hasPassword(user.password_hash)) {
    await assertRecentAuth({
      ...deps,
      userId,
      sessionId,
      currentPassword: undefined,
      origin,
      during: 'two_factor_disable',
    });
  } else if (password === undefined) {
    throw invalidRequest('Enter your password.', 'password');
  } else {
    await confirmCurrentPassword({
      ...deps,
      userId,
      sessionId,
      password,
      origin,
      during: 'two_factor_disable',
    });
  }
  await verifySecondFactorCode({
    ...deps,
    userId,
    sessionId,
    origin,
    code,
    during: 'two_factor_disable',
    failStatus: 403,
  });
  await deps.db.transaction().execute(async (trx) => {
    await deleteTwoFactor(trx, userId);
    await recordSecurityEvent(trx, { userId, type: 'two_factor_disabled', sessionId, origin });
  });
};
