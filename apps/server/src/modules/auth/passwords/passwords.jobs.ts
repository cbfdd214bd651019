import { z } from 'zod';
import type { Db } from '../../../db/database.js';
import { createJobHandler, defineJobType } from '../../../job-queue/jobs.types.js';
import type { KeyRing } from '../../../keys/key-ring.models.js';
import type { Mailer } from '../../mail/mail.transport.js';
import { findUserByEmail } from '../accounts/users.repository.js';
import { authLinkMail } from '../links/links.jobs.js';
import { LINK_TTL_SECONDS } from '../links/signed-links.models.js';
import { randomSecret } from '../secrets.models.js';
import { recordSecurityEvent } from '../security-events.repository.js';

/**
 * "Forgot password" for an address, known or not. The request only queues this job, so it does
 * the same work (and takes the same time) whoever the address belongs to; the lookup happens here.
 */
export const passwordResetRequestJob = defineJobType(
  'auth.password-reset-request',
  z.object({
    email: z.string(),
    origin: z.object({ ip: z.string().nullable(), userAgent: z.string().nullable() }),
  }),
  { maxAttempts: 8 },
);

export const createPasswordResetRequestHandler = ({
  db,
  mailer,
  ring,
  publicUrl,
}: {
  db: Db;
  mailer: Mailer;
  ring: () => KeyRing;
  publicUrl: string;
}) =>
  createJobHandler(passwordResetRequestJob, async ({ email, origin }) => {
    const user = await findUserByEmail(db, email);
    if (!user) return { sent: false };
    const claims = {
      p: 'password-reset' as const,
      sub: user.id,
      jti: randomSecret(16),
      exp: Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS['password-reset'],
      pwd: user.password_changed_at.getTime(),
    };
    await mailer.send(authLinkMail({ to: user.email, claims, ring: ring(), publicUrl }));
    await recordSecurityEvent(db, { userId: user.id, type: 'password_reset_requested', origin });
    return { sent: true };
  });
