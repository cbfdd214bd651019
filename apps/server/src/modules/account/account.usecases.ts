import { AppError } from '../../app/app-error.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import { sendMailJob } from '../mail/mail.jobs.js';
import { normalizeEmail } from '../auth/accounts/email.models.js';
import { findUserById } from '../auth/accounts/users.repository.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { emailTaken, linkInvalid, unauthenticated } from '../auth/auth.errors.js';
import { sendAuthLinkJob } from '../auth/links/links.jobs.js';
import { LINK_TTL_SECONDS, verifyLink } from '../auth/links/signed-links.models.js';
import { randomSecret } from '../auth/secrets.models.js';
import {
  insertUsedLink,
  recordSecurityEvent,
  type RequestOrigin,
} from '../auth/security-events.repository.js';
import { revokingTransaction } from '../auth/sessions/sessions.usecases.js';
import {
  assertEmailChangeKeepsAnAdministrator,
  assertNotLastAdministrator,
} from '../admin/admin.usecases.js';
import { deleteAccountJob } from './account.jobs.js';
import { changeEmail, deleteSharesOf, markAccountDeleted } from './account.repository.js';

/**
 * The address stays the account's until the link mailed to the new one is used; the old one is
 * told, so a takeover attempt does not go unnoticed.
 */
export const requestEmailChange = async ({
  userId,
  sessionId,
  newEmail: rawEmail,
  origin,
  ...deps
}: AuthDeps & { userId: string; sessionId: string; newEmail: string; origin: RequestOrigin }) => {
  const newEmail = normalizeEmail(rawEmail);
  await deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId);
    if (!user) throw unauthenticated();
    if (user.email.toLowerCase() === newEmail.toLowerCase()) {
      throw new AppError({
        code: 'invalid_request',
        statusCode: 400,
        message: 'This is already your address.',
        field: 'newEmail',
      });
    }
    // Refused here too, so nobody waits for a mail whose link could only be refused.
    await assertEmailChangeKeepsAnAdministrator(trx, {
      user,
      newEmail,
      adminEmails: deps.adminEmails,
    });
    await enqueueJob(trx, sendAuthLinkJob, {
      to: newEmail,
      claims: {
        p: 'email-change',
        sub: userId,
        jti: randomSecret(16),
        exp: Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS['email-change'],
        email: newEmail,
      },
    });
    await enqueueJob(trx, sendMailJob, {
      to: user.email,
      subject: 'Someone asked to change the email address of your My File account',
      text: `A change of your account's address to ${newEmail} was asked for. It happens only once the link mailed to that address is opened; until then nothing changes.\nIf this was not you, change your password now at ${deps.publicUrl}/account and sign out your other devices.\n`,
    });
    await recordSecurityEvent(trx, {
      userId,
      type: 'email_change_requested',
      sessionId,
      origin,
      details: { to: newEmail },
    });
  });
};

/**
 * Single use, 24 hours; 409 `email_taken` when another account took the address meanwhile, 409
 * `conflict` when the address made the account an administrator and no other one would remain.
 */
export const confirmEmailChange = async ({
  token,
  origin,
  ...deps
}: AuthDeps & { token: string; origin: RequestOrigin }) => {
  const claims = verifyLink({ ring: deps.ring(), token, purpose: 'email-change' });
  const newEmail = claims?.email;
  if (!claims || !newEmail) throw linkInvalid();
  await deps.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, claims.sub);
    if (!user || user.deleted_at) throw linkInvalid();
    const fresh = await insertUsedLink(trx, {
      jti: claims.jti,
      purpose: claims.p,
      expiresAt: new Date(claims.exp * 1000),
    });
    if (!fresh) throw linkInvalid();
    await assertEmailChangeKeepsAnAdministrator(trx, {
      user,
      newEmail,
      adminEmails: deps.adminEmails,
    });
    if (!(await changeEmail(trx, { userId: user.id, email: newEmail }))) throw emailTaken();
    await recordSecurityEvent(trx, {
      userId: user.id,
      type: 'email_changed',
      origin,
      details: { from: user.email, to: newEmail },
    });
  });
  await deps.accountCache.delete([claims.sub]);
};

/**
 * At once: the address is free, every session and token ends, shares and links stop working.
 * A durable job then removes the files, versions, thumbnails, blobs and cold copies, and the row.
 */
export const deleteAccount = async ({
  userId,
  sessionId,
  origin,
  ...deps
}: AuthDeps & { userId: string; sessionId: string; origin: RequestOrigin }) => {
  const job = await revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      await assertNotLastAdministrator(trx, { userId, adminEmails: deps.adminEmails });
      if (!(await markAccountDeleted(trx, userId))) throw unauthenticated();
      await revoke({ userId, reason: 'account_deleted' });
      await revokeTokens(userId);
      await deleteSharesOf(trx, userId);
      await recordSecurityEvent(trx, { userId, type: 'account_deleted', sessionId, origin });
      return enqueueJob(trx, deleteAccountJob, { userId });
    },
  });
  await deps.accountCache.delete([userId]);
  return job;
};
