import { z } from 'zod';
import type { ConfigFragment } from '../../config/config.types.js';

const adminEmailsFromEnv = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter((email) => email.length > 0),
  )
  .pipe(z.array(z.email('must be a comma-separated list of email addresses')));

export const adminConfigSettings = {
  ADMIN_EMAILS: {
    schema: adminEmailsFromEnv.default([]),
    doc: 'Accounts that administer the instance besides its first one: a comma-separated list of email addresses, counted only once the address is verified. Administrators manage accounts, quotas and failed jobs; they never see anyone’s files.',
    defaultLabel: '(none)',
  },
} satisfies ConfigFragment;
