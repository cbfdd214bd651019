import type { AuthDeps } from '../auth.deps.js';
import { AppError } from '../../../app/app-error.js';
import { rateLimited } from '../auth.errors.js';
import { findUserById } from '../accounts/users.repository.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import { verifyPassword } from '../passwords/passwords.models.js';
import { recordSecurityEvent, type RequestOrigin } from '../security-events.repository.js';
import { findSessionById } from '../sessions/sessions.repository.js';

/** A sign-in this recent counts as proof of presence; older sessions must type the password. */
export const RECENT_AUTH_SECONDS = 5 * 60;

export const reauthRequired = () =>
  new AppError({
    code: 'reauth_required',
    statusCode: 403,
    message: 'Confirm it is you (password, authenticator code or passkey) to do this.',
    field: 'currentPassword',
  });

export const wrongCurrentPassword = () =>
  new AppError({
    code: 'invalid_credentials',
    statusCode: 403,
    message: 'The current password is incorrect.',
    field: 'currentPassword',
  });

/**
 * Checks the account's current password, at most PER_ACCOUNT.passwordConfirm times an hour.
 * The attempt is counted before argon2 runs and taken back on success, so concurrent guesses
 * cannot all pass a check that only reads the count.
 */
export const confirmCurrentPassword = async ({
  userId,
  sessionId,
  password,
  origin,
  during,
  ...deps
}: AuthDeps & {
  userId: string;
  sessionId: string;
  password: string;
  origin: RequestOrigin;
  during: string;
}) => {
  const key = `confirm-fail:${userId}`;
  const attempt = await deps.counters.hit(key, PER_ACCOUNT.passwordConfirm.windowSeconds);
  if (attempt.count > PER_ACCOUNT.passwordConfirm.max) {
    throw rateLimited(attempt.retryAfterSeconds);
  }
  const user = await findUserById(deps.db, userId);
  if (!user || !(await verifyPassword(user.password_hash, password.slice(0, 1024)))) {
    if (user) {
      await recordSecurityEvent(deps.db, {
        userId,
        type: 'sign_in_failed',
        sessionId,
        origin,
        details: { during },
      });
    }
    throw wrongCurrentPassword();
  }
  await deps.counters.undo(key);
  return user;
};

/**
 * Proof that the person at the keyboard is the account's owner, for what a stolen cookie or an
 * injected script must not do on its own (minting a token, changing the second factor or the
 * passkeys): the session signed in or reauthenticated (POST /api/auth/reauth, by password,
 * code or passkey) within RECENT_AUTH_SECONDS, or the request carries the current password.
 */
export const assertRecentAuth = async ({
  userId,
  sessionId,
  currentPassword,
  origin,
  during,
  now = new Date(),
  ...deps
}: AuthDeps & {
  userId: string;
  sessionId: string;
  currentPassword: string | undefined;
  origin: RequestOrigin;
  during: string;
  now?: Date;
}) => {
  if (currentPassword !== undefined) {
    await confirmCurrentPassword({
      ...deps,
      userId,
      sessionId,
      password: currentPassword,
      origin,
      during,
    });
    return;
  }
  const session = await findSessionById(deps.db, sessionId);
  const provedAt = Math.max(
    session?.created_at.getTime() ?? 0,
    session?.reauthenticated_at?.getTime() ?? 0,
  );
  if (now.getTime() - provedAt > RECENT_AUTH_SECONDS * 1000) throw reauthRequired();
};
