/** Shares are matched on the lower-cased address, as accounts are. */
export const shareEmailKey = (email: string) => email.trim().normalize('NFC').toLowerCase();

export const shareMail = ({
  to,
  ownerEmail,
  name,
  role,
  publicUrl,
}: {
  to: string;
  ownerEmail: string;
  name: string;
  role: 'viewer' | 'editor';
  publicUrl: string;
}) => ({
  to,
  subject: `${ownerEmail} shared "${name}" with you`,
  text:
    `${ownerEmail} shared "${name}" with you as ${role === 'editor' ? 'an editor' : 'a viewer'}.\n\n` +
    `Open it under "Shared with me": ${new URL('/shared', publicUrl).toString()}\n\n` +
    'If you have no account yet, sign up with this address and verify it; the item appears there.\n',
});
