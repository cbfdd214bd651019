import type { KeyRing } from '../../keys/key-ring.models.js';
import { LINK_TTL_SECONDS, signLink, verifyLink } from '../auth/links/signed-links.models.js';
import { randomSecret } from '../auth/secrets.models.js';

/**
 * What the password step hands the browser when the account has a second factor: proof that
 * the password was right, good for five minutes and for one finished sign-in, bound to the
 * password of that moment (a password change kills it). It is not a session: nothing but the
 * second-factor routes accepts it.
 */
export const issuePendingSignIn = ({
  ring,
  userId,
  passwordChangedAt,
  now = new Date(),
}: {
  ring: KeyRing;
  userId: string;
  passwordChangedAt: Date;
  now?: Date;
}) =>
  signLink(ring, {
    p: 'second-factor',
    sub: userId,
    jti: randomSecret(16),
    exp: Math.floor(now.getTime() / 1000) + LINK_TTL_SECONDS['second-factor'],
    pwd: passwordChangedAt.getTime(),
  });

export const readPendingSignIn = ({ ring, token }: { ring: KeyRing; token: string }) =>
  verifyLink({ ring, token, purpose: 'second-factor' });
