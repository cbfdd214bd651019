import { invalidRequest } from '../../app/app-error.js';
import { davError } from './webdav.errors.js';

export const DAV_PREFIX = '/dav';

/**
 * The names below `/dav/` in a request path, decoded. Empty segments (`a//b`, a trailing slash)
 * are dropped; `.` and `..` are refused rather than resolved, so no spelling of a path can step
 * outside the tree it names. Whatever else a name must be is checked where one is created.
 */
export const parseDavPath = (pathname: string): string[] => {
  const rest = pathname.slice(DAV_PREFIX.length);
  if (!pathname.startsWith(DAV_PREFIX) || (rest !== '' && !rest.startsWith('/'))) {
    throw invalidRequest(`WebDAV paths start with ${DAV_PREFIX}/.`);
  }
  const names: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '') continue;
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      throw invalidRequest('The path is not valid percent-encoded UTF-8.');
    }
    if (name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw invalidRequest('A path may not contain ".", ".." or encoded slashes.');
    }
    names.push(name.normalize('NFC'));
  }
  return names;
};

/** The path of a request URL (no query string), as sent. */
export const pathnameOf = (url: string) => url.split('?')[0] ?? '';

/** The href of a node in a response: each name percent-encoded, folders ending in a slash. */
export const hrefOf = (names: readonly string[], isFolder: boolean) => {
  const path = names.map((name) => encodeURIComponent(name)).join('/');
  return `${DAV_PREFIX}/${path}${isFolder && names.length > 0 ? '/' : ''}`;
};

/**
 * A COPY or MOVE Destination: an absolute URL on this very server (or an absolute path),
 * inside `/dav/`. Anything else is 502, as RFC 4918 says for another server.
 */
export const parseDestination = (header: string | undefined, requestHost: string | undefined) => {
  if (!header) throw invalidRequest('COPY and MOVE need a Destination header.', 'Destination');
  let url: URL;
  try {
    url = new URL(header, `http://${requestHost ?? 'localhost'}`);
  } catch {
    throw invalidRequest('The Destination header is not a URL.', 'Destination');
  }
  if (requestHost && url.host !== requestHost) {
    throw davError(502, 'conflict', 'The Destination must be on this server.');
  }
  return parseDavPath(url.pathname);
};
