import { emailKey } from '../auth/accounts/email.models.js';
import type { UserRole } from '../auth/auth.tables.js';

/**
 * The instance's first account (its role says so) and verified accounts at an ADMIN_EMAILS
 * address. An address counts only once verified, or anyone could register it first.
 */
export const isAdministrator = (
  user: {
    role: UserRole;
    email: string;
    email_verified_at: Date | string | null;
    deleted_at: Date | string | null;
  },
  adminEmails: ReadonlySet<string>,
) =>
  user.deleted_at === null &&
  (user.role === 'admin' ||
    (user.email_verified_at !== null && adminEmails.has(emailKey(user.email))));
