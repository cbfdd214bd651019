import { z } from 'zod';
import type { KeyRing } from '../../keys/key-ring.models.js';
import { hmac, safeEqual } from '../auth/secrets.models.js';

/** An authorization request in flight: what the callback must find again, in this browser. */
export type OidcFlow = {
  provider: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** `link`: add the provider account to `userId`'s, who was signed in when it started. */
  mode: 'sign_in' | 'link';
  userId: string | null;
  /** A path of the web app to land on afterwards. */
  next: string;
  /** Seconds since the epoch. */
  expiresAt: number;
};

/** Long enough to type a password and a second factor at the provider. */
export const FLOW_TTL_SECONDS = 10 * 60;

const flowSchema = z.object({
  provider: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  mode: z.enum(['sign_in', 'link']),
  userId: z.string().nullable(),
  next: z.string(),
  expiresAt: z.number(),
});

const mac = (secret: Buffer, payload: string) => hmac(secret, `oidc-flow:${payload}`);

/** `<payload>.<kid>.<mac>`: the browser carries it, but cannot alter it (it is MACed). */
export const sealFlow = (ring: KeyRing, flow: OidcFlow) => {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${ring.current.kid}.${mac(ring.current.hmacSecret, payload)}`;
};

export const openFlow = (
  ring: KeyRing,
  sealed: string | undefined,
  now = Date.now(),
): OidcFlow | undefined => {
  const [payload, kid, tag] = sealed?.split('.') ?? [];
  if (!payload || !kid || !tag) return undefined;
  const key = ring.byKid(kid);
  if (!key || !safeEqual(tag, mac(key.hmacSecret, payload))) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const flow = flowSchema.safeParse(decoded);
  if (!flow.success || flow.data.expiresAt * 1000 < now) return undefined;
  return flow.data;
};

/** Only a path of this site: `//evil.example` or `https://…` would make an open redirect. */
export const safeNextPath = (next: unknown) =>
  typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 512 ? next : '/';
