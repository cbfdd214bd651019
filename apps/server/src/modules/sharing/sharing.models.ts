import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';

/** Where the next page of "Shared with me" starts: after this (shared at, share id), newest first. */
export type SharedCursor = { sharedAt: Date; id: string };

const cursorSchema = z.object({ t: z.iso.datetime(), i: z.uuid() }).strict();

export const encodeSharedCursor = ({ sharedAt, id }: SharedCursor) =>
  Buffer.from(JSON.stringify({ t: sharedAt.toISOString(), i: id })).toString('base64url');

export const decodeSharedCursor = (raw: string): SharedCursor => {
  try {
    const { t, i } = cursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return { sharedAt: new Date(t), id: i };
  } catch {
    throw invalidRequest('The cursor is malformed.', 'cursor');
  }
};

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
