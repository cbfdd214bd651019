import { z } from 'zod';
import { createJobHandler, defineJobType } from '../../../job-queue/jobs.types.js';
import type { KeyRing } from '../../../keys/key-ring.models.js';
import type { Mailer } from '../../mail/mail.transport.js';
import { signLink, type MailedLinkClaims } from './signed-links.models.js';

/**
 * The queued payload holds the link's claims, not the link: the MAC is computed when the mail
 * is sent, so someone reading the jobs table cannot take over an account with it.
 */
export const sendAuthLinkJob = defineJobType(
  'auth.send-link',
  z.object({
    to: z.string(),
    claims: z.object({
      p: z.enum(['verify-email', 'password-reset', 'email-change']),
      sub: z.string(),
      jti: z.string(),
      exp: z.number().int(),
      pwd: z.number().int().optional(),
      email: z.string().optional(),
    }),
  }),
  { maxAttempts: 8 },
);

const PAGES: Record<MailedLinkClaims['p'], { path: string; subject: string; intro: string }> = {
  'verify-email': {
    path: '/verify-email',
    subject: 'Confirm your email address for My File',
    intro: 'Open this link to confirm your email address (it works once, for 24 hours):',
  },
  'password-reset': {
    path: '/reset-password',
    subject: 'Reset your My File password',
    intro:
      'Open this link to choose a new password (it works once, for 30 minutes). Every signed-in device will be signed out. If you did not ask for this, ignore this mail.',
  },
  'email-change': {
    path: '/confirm-email',
    subject: 'Confirm your new email address for My File',
    intro:
      'Open this link to make this address the one you sign in with (it works once, for 24 hours). Until then your account keeps its current address. If you did not ask for this, ignore this mail.',
  },
};

/** The token travels in the fragment: it never reaches a server log or a Referer header. */
export const authLinkUrl = (publicUrl: string, claims: MailedLinkClaims, ring: KeyRing) =>
  `${publicUrl}${PAGES[claims.p].path}#token=${signLink(ring, claims)}`;

export const createSendAuthLinkHandler = ({
  mailer,
  ring,
  publicUrl,
}: {
  mailer: Mailer;
  ring: () => KeyRing;
  publicUrl: string;
}) =>
  createJobHandler(sendAuthLinkJob, async ({ to, claims }) => {
    if (claims.exp * 1000 <= Date.now()) return { skipped: 'expired' };
    await mailer.send(authLinkMail({ to, claims, ring: ring(), publicUrl }));
    return { sent: true };
  });

/** The mail carrying a signed link; the MAC is computed here, at sending time. */
export const authLinkMail = ({
  to,
  claims,
  ring,
  publicUrl,
}: {
  to: string;
  claims: MailedLinkClaims;
  ring: KeyRing;
  publicUrl: string;
}) => {
  const page = PAGES[claims.p];
  return {
    to,
    subject: page.subject,
    text: `${page.intro}\n\n${authLinkUrl(publicUrl, claims, ring)}\n`,
  };
};
