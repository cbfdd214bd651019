/**
 * Only our own paths: `next` must never send someone to another site (`//evil.example`,
 * `/\evil.example`, which browsers read as `//`) or run a `javascript:` URL.
 */
export const safeNext = (next: string | null) =>
  next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
