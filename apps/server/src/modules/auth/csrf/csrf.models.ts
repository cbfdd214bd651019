import type { KeyRing } from '../../../keys/key-ring.models.js';
import { hmac, randomSecret, safeEqual } from '../secrets.models.js';

/**
 * What a CSRF token is bound to: a session, the pre-session nonce cookie before sign-in, or a
 * share link's password grant.
 */
export type CsrfBinding = { kind: 's' | 'p' | 'l'; id: string };

const macInput = (binding: CsrfBinding, nonce: string) =>
  `csrf:${binding.kind}:${binding.id}:${nonce}`;

/**
 * Signed double-submit: `<kind>.<kid>.<nonce>.<mac>`, the MAC over the binding id, which lives
 * only in HttpOnly cookies. A cross-site page can neither read a token nor mint one.
 */
export const issueCsrfToken = (ring: KeyRing, binding: CsrfBinding) => {
  const nonce = randomSecret(16);
  return `${binding.kind}.${ring.current.kid}.${nonce}.${hmac(ring.current.hmacSecret, macInput(binding, nonce))}`;
};

export const verifyCsrfToken = (ring: KeyRing, token: string, bindings: CsrfBinding[]): boolean => {
  const [kind, kid, nonce, mac, extra] = token.split('.');
  if (!kind || !kid || !nonce || !mac || extra !== undefined) return false;
  const key = ring.byKid(kid);
  if (!key) return false;
  return bindings
    .filter((binding) => binding.kind === kind)
    .some((binding) => safeEqual(mac, hmac(key.hmacSecret, macInput(binding, nonce))));
};
