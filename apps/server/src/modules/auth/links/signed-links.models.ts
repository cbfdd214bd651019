import { z } from 'zod';
import type { KeyRing } from '../../../keys/key-ring.models.js';
import { hmac, safeEqual } from '../secrets.models.js';

/**
 * Mailed links, and short-lived signed state handed to the browser between two steps of a
 * sign-in (password done, second factor pending) or of a passkey ceremony (its challenge).
 */
const linkPurposes = [
  'verify-email',
  'password-reset',
  'email-change',
  'second-factor',
  'passkey-register',
  'passkey-sign-in',
] as const;
export type LinkPurpose = (typeof linkPurposes)[number];

export const LINK_TTL_SECONDS: Record<LinkPurpose, number> = {
  'verify-email': 24 * 3600,
  'password-reset': 30 * 60,
  'email-change': 24 * 3600,
  'second-factor': 5 * 60,
  'passkey-register': 5 * 60,
  'passkey-sign-in': 5 * 60,
};

const claimsSchema = z.object({
  p: z.enum(linkPurposes),
  sub: z.string(),
  jti: z.string().min(16),
  exp: z.number().int(),
  /** The password state the link was made for: a changed password kills older reset links. */
  pwd: z.number().int().optional(),
  /** An email change: the new address, which becomes the account's once the link is used. */
  email: z.string().optional(),
});

export type LinkClaims = z.infer<typeof claimsSchema>;
/** The claims of a link that is mailed to the user. */
export type MailedLinkClaims = LinkClaims & {
  p: 'verify-email' | 'password-reset' | 'email-change';
};

const macInput = (purpose: LinkPurpose, body: string) => `link:${purpose}:${body}`;

/** `<claims>.<kid>.<mac>`: HMAC'd with the ring's newest secret, verified by any live one. */
export const signLink = (ring: KeyRing, claims: LinkClaims) => {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = hmac(ring.current.hmacSecret, macInput(claims.p, body));
  return `${body}.${ring.current.kid}.${mac}`;
};

export const verifyLink = ({
  ring,
  token,
  purpose,
  now = new Date(),
}: {
  ring: KeyRing;
  token: string;
  purpose: LinkPurpose;
  now?: Date;
}): LinkClaims | undefined => {
  const [body, kid, mac, extra] = token.split('.');
  if (!body || !kid || !mac || extra !== undefined) return undefined;
  const key = ring.byKid(kid);
  if (!key || !safeEqual(mac, hmac(key.hmacSecret, macInput(purpose, body)))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const claims = claimsSchema.safeParse(parsed);
  if (!claims.success || claims.data.p !== purpose) return undefined;
  if (claims.data.exp * 1000 <= now.getTime()) return undefined;
  return claims.data;
};
