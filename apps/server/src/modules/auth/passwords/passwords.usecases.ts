import { enqueueJob } from '../../../job-queue/jobs.queue.js';
import { sendMailJob } from '../../mail/mail.jobs.js';
import type { AuthDeps } from '../auth.deps.js';
import { linkInvalid, passwordRejected, rateLimited } from '../auth.errors.js';
import { passwordResetRequestJob } from './passwords.jobs.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import { emailKey, normalizeEmail } from '../accounts/email.models.js';
import { findPasswordProblem, hashPassword } from './passwords.models.js';
import { confirmCurrentPassword } from '../recent-auth/recent-auth.usecases.js';
import {
  insertUsedLink,
  recordSecurityEvent,
  type RequestOrigin,
} from '../security-events.repository.js';
import { revokingTransaction } from '../sessions/sessions.usecases.js';
import { verifyLink } from '../links/signed-links.models.js';
import { findUserById, markEmailVerified, setPasswordHash } from '../accounts/users.repository.js';

/**
 * The same answer, at once, for every address: the request only counts and queues a job, the
 * same work whether or not an account exists; the job looks the address up and mails the link.
 */
export const requestPasswordReset = async ({
  email: rawEmail,
  origin,
  ...deps
}: AuthDeps & { email: string; origin: RequestOrigin }) => {
  const email = normalizeEmail(rawEmail);
  const asked = await deps.counters.hit(
    `forgot:${emailKey(email)}`,
    PER_ACCOUNT.forgot.windowSeconds,
  );
  // Past the limit the answer does not change: nothing reveals the address, no mail floods it.
  if (asked.count > PER_ACCOUNT.forgot.max) return;
  await enqueueJob(deps.db, passwordResetRequestJob, { email, origin });
};

/** Single use, 30 minutes, dead once the password changes; success ends every session. */
export const resetPassword = async ({
  token,
  newPassword,
  origin,
  ...deps
}: AuthDeps & { token: string; newPassword: string; origin: RequestOrigin }) => {
  const claims = verifyLink({ ring: deps.ring(), token, purpose: 'password-reset' });
  if (!claims) throw linkInvalid();
  const attempts = await deps.counters.hit(`reset:${claims.sub}`, PER_ACCOUNT.reset.windowSeconds);
  if (attempts.count > PER_ACCOUNT.reset.max) throw rateLimited(attempts.retryAfterSeconds);
  const account = await findUserById(deps.db, claims.sub);
  if (!account) throw linkInvalid();
  const problem = findPasswordProblem(newPassword, { email: account.email });
  if (problem) throw passwordRejected(problem, 'newPassword');
  const passwordHash = await hashPassword(newPassword);

  const user = await revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      const found = await findUserById(trx, claims.sub);
      if (!found || found.password_changed_at.getTime() !== claims.pwd) throw linkInvalid();
      const fresh = await insertUsedLink(trx, {
        jti: claims.jti,
        purpose: claims.p,
        expiresAt: new Date(claims.exp * 1000),
      });
      if (!fresh) throw linkInvalid();
      await setPasswordHash(trx, { id: found.id, passwordHash });
      // The link reached the mailbox, which is what verification proves too.
      await markEmailVerified(trx, found.id);
      await revoke({ userId: found.id, reason: 'password_reset' });
      // A script's token must not outlive the password of the account that made it.
      await revokeTokens(found.id);
      await recordSecurityEvent(trx, { userId: found.id, type: 'password_reset', origin });
      await enqueueJob(trx, sendMailJob, passwordChangedMail({ ...deps, to: found.email }));
      return found;
    },
  });
  await deps.accountCache.delete([user.id]);
  // The owner proved control of the mailbox: an attacker's failed sign-ins no longer count.
  await deps.counters.clear(`login-fail:${emailKey(user.email)}`);
};

export const changePassword = async ({
  userId,
  sessionId,
  currentPassword,
  newPassword,
  origin,
  ...deps
}: AuthDeps & {
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  origin: RequestOrigin;
}) => {
  const user = await confirmCurrentPassword({
    ...deps,
    userId,
    sessionId,
    password: currentPassword,
    origin,
    during: 'password_change',
  });
  const problem = findPasswordProblem(newPassword, { email: user.email });
  if (problem) throw passwordRejected(problem, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  await revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      await setPasswordHash(trx, { id: userId, passwordHash });
      await revoke({ userId, exceptSessionId: sessionId, reason: 'password_changed' });
      await revokeTokens(userId);
      await recordSecurityEvent(trx, { userId, type: 'password_changed', sessionId, origin });
      await enqueueJob(trx, sendMailJob, passwordChangedMail({ ...deps, to: user.email }));
    },
  });
};

const passwordChangedMail = ({ to, ...deps }: AuthDeps & { to: string }) => ({
  to,
  subject: 'Your My File password was changed',
  text: `The password of your My File account was just changed and your other devices were signed out and your personal access tokens revoked.\nIf this was not you, reset your password now at ${deps.publicUrl}/forgot-password.\n`,
});
