import { randomBytes } from 'node:crypto';
import { invalidRequest } from '../../app/app-error.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { hrefOf } from './webdav.paths.js';
import { escapeXml } from './webdav.xml.js';
import type { DavLockDepth, DavLockRow } from './webdav.tables.js';

/**
 * A lock token: a URI unique for all time (RFC 4918 §6.5), here 128 random bits. Short on
 * purpose: clients put a token and two ETags (ours are SHA-256s, 66 characters each) into one
 * If header, and some cut that header at 200 bytes; an `opaquelocktoken:` UUID does not fit.
 */
export const newLockToken = () => `myfile-lock:${randomBytes(16).toString('base64url')}`;

/** A lock lasts an hour unless the client asks; never more than a week without a refresh. */
export const DEFAULT_LOCK_SECONDS = 3600;
export const MAX_LOCK_SECONDS = 7 * 24 * 3600;

/** The Timeout header (RFC 4918 §10.7): the first value we understand, capped. */
export const parseLockTimeout = (value: string | undefined) => {
  for (const part of (value ?? '').split(',')) {
    const text = part.trim();
    if (/^infinite$/i.test(text)) return MAX_LOCK_SECONDS;
    const seconds = /^Second-(\d+)$/i.exec(text)?.[1];
    if (seconds !== undefined) return Math.min(Math.max(Number(seconds), 1), MAX_LOCK_SECONDS);
  }
  return DEFAULT_LOCK_SECONDS;
};

/** LOCK's Depth: 0 or infinity (the default); 1 means nothing for a lock. */
export const parseLockDepth = (value: string | undefined): DavLockDepth => {
  if (value === undefined || value.trim().toLowerCase() === 'infinity') return 'infinity';
  if (value.trim() === '0') return '0';
  throw invalidRequest('LOCK takes Depth: 0 or infinity.', 'Depth');
};

/** `<token>` in a Lock-Token header. */
export const parseLockTokenHeader = (value: string | undefined) => {
  const token = /^\s*<([^>]+)>\s*$/.exec(value ?? '')?.[1];
  if (!token) throw invalidRequest('UNLOCK needs a Lock-Token header: <token>.', 'Lock-Token');
  return token;
};

type ChainNode = Pick<NodeRow, 'id'>;

/**
 * The locks that cover the node at the end of `chain` (root first): the ones rooted at it, and
 * the depth-infinity ones rooted above it. For a folder this is also what guards its members.
 */
export const locksCovering = (chain: readonly ChainNode[], locks: readonly DavLockRow[]) => {
  const self = chain.at(-1)?.id;
  const above = new Set(chain.slice(0, -1).map((node) => node.id));
  return locks.filter(
    (lock) => lock.node_id === self || (lock.depth === 'infinity' && above.has(lock.node_id)),
  );
};

/** The href of a lock's root, when that root is on `chain`. */
export const rootHrefOn = (
  chain: readonly Pick<NodeRow, 'id' | 'name' | 'is_folder'>[],
  lock: DavLockRow,
) => {
  const index = chain.findIndex((node) => node.id === lock.node_id);
  const names = chain.slice(1, index + 1).map((node) => node.name);
  return hrefOf(names, chain[index]?.is_folder ?? false);
};

/** Two locks can coexist only when both are shared. */
export const conflictsWith = (scope: DavLockRow['scope'], lock: DavLockRow) =>
  scope === 'exclusive' || lock.scope === 'exclusive';

/** One `<D:activelock>` (RFC 4918 §14.1), with the time it has left. */
export const activeLockXml = (lock: DavLockRow, rootHref: string, now = Date.now()) => {
  const left = Math.round((lock.expires_at.getTime() - now) / 1000);
  const seconds = Math.min(Math.max(left, 0), lock.timeout_seconds);
  return (
    `<D:activelock><D:locktype><D:write/></D:locktype>` +
    `<D:lockscope><D:${lock.scope}/></D:lockscope>` +
    `<D:depth>${lock.depth}</D:depth>` +
    (lock.owner_xml ? `<D:owner>${lock.owner_xml}</D:owner>` : '') +
    `<D:timeout>Second-${seconds}</D:timeout>` +
    `<D:locktoken><D:href>${escapeXml(lock.token)}</D:href></D:locktoken>` +
    `<D:lockroot><D:href>${escapeXml(rootHref)}</D:href></D:lockroot></D:activelock>`
  );
};
