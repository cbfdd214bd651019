export type RangeRequest =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One `bytes=` range (RFC 9110 §14.1.2). A multi-range or malformed header is ignored and the
 * whole body is sent, which the RFC allows; a syntactically valid but impossible one is 416.
 */
export const parseRangeHeader = (header: string | undefined, size: number): RangeRequest => {
  if (!header) return { kind: 'full' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
};

const INLINE_SAFE = [
  /^image\/(?!svg)/,
  /^audio\//,
  /^video\//,
  /^application\/pdf$/,
  /^text\/plain$/,
];

/** Types a browser may render in our origin without running anything; everything else downloads. */
export const isSafeInline = (contentType: string) =>
  INLINE_SAFE.some((pattern) => pattern.test(contentType));

/** Active types (HTML, SVG…) are labelled as bytes, so nothing can render them even if asked. */
export const responseContentType = (contentType: string) => {
  if (contentType === 'text/plain') return 'text/plain; charset=utf-8';
  return isSafeInline(contentType) ? contentType : 'application/octet-stream';
};

/**
 * RFC 6266 / 8187: an ASCII fallback (quotes, backslashes, controls and non-ASCII replaced)
 * plus the exact UTF-8 name in `filename*`.
 */
export const contentDisposition = (type: 'attachment' | 'inline', name: string): string => {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
};

export const etagOf = (sha256: string | null, id: string, updatedAt: Date) =>
  `"${sha256 ?? `${id}-${updatedAt.getTime()}`}"`;

/** If-None-Match: any listed tag (weak comparison) or `*` matches. */
export const etagMatches = (header: string | undefined, etag: string) => {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
};
