import { uuidv7 } from 'uuidv7';
import type { CreateLinkBody } from '@myfile/contract';
import { invalidRequest, notFound } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import type { RateCounter } from '../../rate-counter/rate-counter.types.js';
import type { Actor } from '../access/access.models.js';
import { authorizeNode } from '../access/access.usecases.js';
import { rateLimited } from '../auth/auth.errors.js';
import { hashPassword, verifyPassword } from '../auth/passwords/passwords.models.js';
import {
  linkExpired,
  linkNotCopyable,
  passwordRequired,
  wrongLinkPassword,
} from './links.errors.js';
import { LINK_UNLOCK_LIMITS } from './links.limits.js';
import {
  issueLinkGrant,
  LINK_TOKEN,
  linkLapse,
  linkTokenHash,
  linkUrl,
  newLinkToken,
  openLinkToken,
  sealLinkToken,
  verifyLinkGrant,
} from './links.models.js';
import {
  getLinkById,
  getLinkByTokenHash,
  insertShareLink,
  listLinksOfNode,
  recordLinkAccess,
  revokeLinkRow,
  takeLinkDownload,
} from './links.repository.js';
import type { ShareLinkRow } from './links.tables.js';
import { linkChannel, type LinkChannelMessage } from './links.audience.js';
import type { PubSub } from '../../pubsub/pubsub.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Makes a link to a node (owner only). The database keeps the token's hash for lookups and the
 * token sealed with the key ring, for the owner to copy again. A drop box must be a folder:
 * there is nowhere to upload into a file.
 */
export const createShareLink = async ({
  db,
  ring,
  publicUrl,
  actor,
  id,
  body,
  now = new Date(),
}: {
  db: Db;
  ring: KeyRing;
  publicUrl: string;
  actor: Actor;
  id: string;
  body: CreateLinkBody;
  now?: Date;
}) => {
  const { node } = await authorizeNode({ db, actor, id, action: 'manage' });
  if (node.is_root)
    throw invalidRequest('Your root folder cannot be shared; share a folder in it.');
  if (body.role === 'uploader' && !node.is_folder) {
    throw invalidRequest('A drop box link needs a folder to upload into.', 'role');
  }
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw invalidRequest('The expiry must be in the future.', 'expiresAt');
  }
  const token = newLinkToken();
  const linkId = uuidv7();
  const link = await insertShareLink(db, {
    id: linkId,
    nodeId: node.id,
    ownerId: node.owner_id,
    tokenHash: linkTokenHash(token),
    tokenSealed: sealLinkToken(ring, linkId, token),
    role: body.role,
    label: body.label ?? '',
    passwordHash: body.password ? await hashPassword(body.password) : null,
    expiresAt,
    downloadLimit: body.downloadLimit ?? null,
  });
  return { link, token, url: linkUrl(publicUrl, token) };
};

export const listShareLinks = async ({ db, actor, id }: { db: Db; actor: Actor; id: string }) => {
  const { node } = await authorizeNode({ db, actor, id, action: 'manage' });
  return listLinksOfNode(db, { nodeId: node.id });
};

/**
 * A link's address again, for its owner only: a sharee (even an editor) or a stranger is told
 * there is no such link, as for a made-up id. A revoked link is 410 (it opens nothing); one
 * whose token was never kept is 409 `link_not_copyable`.
 */
export const revealShareLink = async ({
  db,
  ring,
  publicUrl,
  actor,
  id,
}: {
  db: Db;
  ring: KeyRing;
  publicUrl: string;
  actor: Actor;
  id: string;
}) => {
  const link = UUID.test(id) ? await getLinkById(db, { id }) : undefined;
  if (!link) throw notFound('No such link.');
  await authorizeNode({ db, actor, id: link.node_id, action: 'manage' }).catch((error: unknown) => {
    const status = (error as { statusCode?: number }).statusCode;
    throw status === 403 || status === 404 ? notFound('No such link.') : error;
  });
  if (link.revoked_at) throw linkExpired();
  const token = openLinkToken(ring, link);
  if (token === undefined) throw linkNotCopyable();
  return { id: link.id, token, url: linkUrl(publicUrl, token) };
};

/**
 * A link is its node owner's to revoke: anybody else's id is not found. Its visitors' event
 * sockets, on whichever instance, are told on the link's channel and close.
 */
export const revokeShareLink = async ({
  db,
  pubsub,
  actor,
  id,
}: {
  db: Db;
  pubsub: PubSub;
  actor: Actor;
  id: string;
}) => {
  const link = UUID.test(id) ? await getLinkById(db, { id }) : undefined;
  if (!link) throw notFound('No such link.');
  await authorizeNode({ db, actor, id: link.node_id, action: 'manage' }).catch((error: unknown) => {
    throw (error as { statusCode?: number }).statusCode === 404 ? notFound('No such link.') : error;
  });
  const revoked = await revokeLinkRow(db, { id });
  await pubsub.publish(
    linkChannel(id),
    JSON.stringify({ type: 'ended' } satisfies LinkChannelMessage),
  );
  return revoked;
};

/** A visitor's view of a link: what it is, and whether they hold its password grant. */
export type LinkVisit = { link: ShareLinkRow; unlocked: boolean };

/**
 * The link a token opens, checked afresh on every request: unknown → 404; revoked, expired or
 * used up → 410 `link_expired`; its item in the trash (or gone), or its owner disabled → 404
 * until restored.
 */
export const openLink = async ({
  db,
  ring,
  token,
  grant,
  now = new Date(),
}: {
  db: Db;
  ring: KeyRing;
  token: string;
  grant: string | undefined;
  now?: Date;
}): Promise<LinkVisit> => {
  const link = LINK_TOKEN.test(token)
    ? await getLinkByTokenHash(db, { tokenHash: linkTokenHash(token) })
    : undefined;
  if (!link) throw notFound('No such link.');
  if (linkLapse(link, now)) throw linkExpired();
  // An owner an admin disabled (or who is deleting the account) shares nothing any more.
  const node = await db
    .selectFrom('nodes')
    .innerJoin('users', 'users.id', 'nodes.owner_id')
    .select(['nodes.trashed_at', 'users.disabled_at', 'users.deleted_at'])
    .where('nodes.id', '=', link.node_id)
    .executeTakeFirst();
  if (!node || node.trashed_at || node.disabled_at || node.deleted_at) {
    throw notFound('No such link.');
  }
  return {
    link,
    unlocked: link.password_hash === null || verifyLinkGrant(ring, link, grant, now),
  };
};

/** The actor a visit acts as, once any password was given. */
export const linkActorOf = ({ link, unlocked }: LinkVisit): Actor => {
  if (!unlocked) throw passwordRequired();
  return { kind: 'link', linkId: link.id, nodeId: link.node_id, role: link.role };
};

export const recordVisit = (db: Db, visit: LinkVisit) =>
  recordLinkAccess(db, { id: visit.link.id });

/** One more download through the link, or 410 once its limit is reached. */
export const countLinkDownload = async (db: Db, visit: LinkVisit) => {
  if (!(await takeLinkDownload(db, { id: visit.link.id }))) throw linkExpired();
};

/**
 * Trades the link's password for a short grant. Wrong guesses are counted per link and per
 * address before they are judged (so parallel guesses cannot all slip under the cap), and taken
 * back when right, as sign-in does.
 */
export const unlockLink = async ({
  db,
  ring,
  counters,
  token,
  password,
  ip,
  now = new Date(),
}: {
  db: Db;
  ring: KeyRing;
  counters: RateCounter;
  token: string;
  password: string;
  ip: string;
  now?: Date;
}) => {
  const { link } = await openLink({ db, ring, token, grant: undefined, now });
  if (link.password_hash === null) throw invalidRequest('This link has no password.', 'password');
  const keys = [`link-unlock:${link.id}`, `link-unlock-ip:${ip}`];
  const limits = [LINK_UNLOCK_LIMITS.perLink, LINK_UNLOCK_LIMITS.perIp];
  for (const [index, key] of keys.entries()) {
    const limit = limits[index] ?? LINK_UNLOCK_LIMITS.perLink;
    const attempt = await counters.hit(key, limit.windowSeconds);
    if (attempt.count > limit.max) throw rateLimited(attempt.retryAfterSeconds);
  }
  if (!(await verifyPassword(link.password_hash, password.slice(0, 1024)))) {
    throw wrongLinkPassword();
  }
  for (const key of keys) await counters.undo(key);
  return { link, grant: issueLinkGrant(ring, link, now) };
};
