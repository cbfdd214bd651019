import type { ShareLinkDto } from '@myfile/contract';
import { toNodeDto, type NodeDto, type NodeDtoSource } from '../nodes/nodes.models.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import { openSealedSecret, resealSecret, sealSecret } from '../../keys/key-ring.sealing.js';
import { hmac, randomSecret, safeEqual, sha256Hex } from '../auth/secrets.models.js';
import type { ShareLinkRow } from './links.tables.js';

/**
 * 256 random bits, URL-safe: far beyond guessing. Looked up by its SHA-256; kept otherwise only
 * sealed with the key ring, for the owner to copy again.
 */
export const newLinkToken = () => randomSecret(32);

export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const linkTokenHash = (token: string) => sha256Hex(token);

/** Bound to the link's id: a sealed token copied onto another link's row opens nothing. */
const sealContext = (linkId: string) => `share-link:${linkId}`;

export const sealLinkToken = (ring: KeyRing, linkId: string, token: string) =>
  sealSecret(ring, token, sealContext(linkId));

/** The token again, or undefined: made before tokens were kept, revoked, or its key is gone. */
export const openLinkToken = (
  ring: KeyRing,
  link: Pick<ShareLinkRow, 'id' | 'token_sealed' | 'token_kid'>,
): string | undefined =>
  link.token_sealed === null || link.token_kid === null
    ? undefined
    : openSealedSecret(
        ring,
        { kid: link.token_kid, sealed: link.token_sealed },
        sealContext(link.id),
      );

/** The token sealed under the newest key; undefined when it no longer opens at all. */
export const resealLinkToken = (ring: KeyRing, link: { id: string; kid: string; sealed: string }) =>
  resealSecret(ring, { kid: link.kid, sealed: link.sealed }, sealContext(link.id));

/** Why a link opens nothing any more, if it does not. */
export const linkLapse = (
  link: ShareLinkRow,
  now: Date,
): 'revoked' | 'expired' | 'used_up' | null => {
  if (link.revoked_at) return 'revoked';
  if (link.expires_at && link.expires_at.getTime() <= now.getTime()) return 'expired';
  if (link.download_limit !== null && link.download_count >= link.download_limit) return 'used_up';
  return null;
};

/** How long a correct password keeps a visitor in: short, and never past the link's expiry. */
export const LINK_GRANT_SECONDS = 3600;

/**
 * The grant a correct password buys: `<kid>.<linkId>.<expires>.<mac>`, signed with the key ring.
 * The MAC also covers the password hash, so changing or removing the password ends every grant.
 */
const grantInput = (link: Pick<ShareLinkRow, 'id' | 'password_hash'>, expires: number) =>
  `link-grant:${link.id}:${expires}:${sha256Hex(link.password_hash ?? '')}`;

export const issueLinkGrant = (
  ring: KeyRing,
  link: Pick<ShareLinkRow, 'id' | 'password_hash' | 'expires_at'>,
  now: Date,
) => {
  const cap = link.expires_at ? Math.floor(link.expires_at.getTime() / 1000) : Infinity;
  const expires = Math.min(Math.floor(now.getTime() / 1000) + LINK_GRANT_SECONDS, cap);
  const mac = hmac(ring.current.hmacSecret, grantInput(link, expires));
  return { value: `${ring.current.kid}.${link.id}.${expires}.${mac}`, expires };
};

/** True when `value` is a live grant for this very link (a grant for another link is nothing). */
export const verifyLinkGrant = (
  ring: KeyRing,
  link: Pick<ShareLinkRow, 'id' | 'password_hash'>,
  value: string | undefined,
  now: Date,
): boolean => {
  if (!value) return false;
  const [kid, linkId, expiresText, mac, extra] = value.split('.');
  if (!kid || !linkId || !expiresText || !mac || extra !== undefined) return false;
  if (linkId !== link.id || !/^\d{1,12}$/.test(expiresText)) return false;
  const expires = Number(expiresText);
  if (expires * 1000 <= now.getTime()) return false;
  const key = ring.byKid(kid);
  if (!key) return false;
  return safeEqual(mac, hmac(key.hmacSecret, grantInput(link, expires)));
};

/** What a visitor's CSRF token is bound to: the grant cookie's own MAC. */
export const grantCsrfBindingId = (value: string) => value.split('.')[3] ?? '';

/**
 * A node as a link visitor sees it: nothing that points outside the link (the shared item's
 * parent) or needs an account (thumbnails are served to signed-in users only).
 */
export const toVisitorNodeDto = (row: NodeDtoSource, linkNodeId: string): NodeDto => ({
  ...toNodeDto(row),
  parentId: row.id === linkNodeId ? null : row.parent_id,
  archiveError: null,
  thumbnailUrl: null,
});

export const toShareLinkDto = (link: ShareLinkRow): ShareLinkDto => ({
  id: link.id,
  nodeId: link.node_id,
  role: link.role,
  label: link.label,
  hasPassword: link.password_hash !== null,
  copyable: link.token_sealed !== null && link.revoked_at === null,
  expiresAt: link.expires_at?.toISOString() ?? null,
  downloadLimit: link.download_limit,
  downloadCount: link.download_count,
  accessCount: link.access_count,
  lastAccessedAt: link.last_accessed_at?.toISOString() ?? null,
  revokedAt: link.revoked_at?.toISOString() ?? null,
  createdAt: link.created_at.toISOString(),
});

export const linkUrl = (publicUrl: string, token: string) =>
  new URL(`/s/${token}`, publicUrl).toString();
