import { toNameKey } from '../nodes/nodes.models.js';

/**
 * The key names are searched by: the same steps the database applies to a node's name key to
 * store its `search_key` column (`lower(normalize(name_key, NFKC))`).
 */
export const toSearchKey = (text: string): string =>
  toNameKey(text.trim()).normalize('NFKC').toLowerCase();

/** Shorter queries would forgive a typo in nearly every name. */
export const FUZZY_MIN_LENGTH = 4;

/** How far a total is counted before it becomes "more than". */
export const TOTAL_CAP = 1000;

/**
 * Ranks, best first: the whole name or the name without its extension, a prefix, inside the
 * name, with one typo; a content hit whose name does not match comes last.
 */
export const rankOf = { exact: 0, prefix: 1, substring: 2, typo: 3, content: 4 } as const;

export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One LIKE pattern piece: a literal character, or `_` (any one character). */
type Piece = { literal: string } | { any: true };

const toPattern = (pieces: Piece[]) =>
  pieces.map((piece) => ('literal' in piece ? escapeLike(piece.literal) : '_')).join('');

/**
 * A trigram index can only narrow a pattern that keeps three literal characters in a row;
 * a pattern without would read the whole index, so it is left out (a substituted middle
 * letter of a 4- or 5-letter query).
 */
const hasLiteralRun = (pieces: Piece[], run = 3) => {
  let length = 0;
  for (const piece of pieces) {
    length = 'literal' in piece ? length + 1 : 0;
    if (length >= run) return true;
  }
  return false;
};

/**
 * `%…%` LIKE patterns matching a name that contains the key with one edit: a letter deleted,
 * inserted or replaced, or two neighbours swapped (optimal string alignment distance 1).
 * Empty below FUZZY_MIN_LENGTH characters.
 */
export const oneEditPatterns = (key: string): string[] => {
  const chars = Array.from(key);
  if (chars.length < FUZZY_MIN_LENGTH) return [];
  const lit = (list: string[]): Piece[] => list.map((literal) => ({ literal }));
  const variants: Piece[][] = [];
  for (let i = 0; i < chars.length; i += 1) {
    variants.push(lit([...chars.slice(0, i), ...chars.slice(i + 1)]));
    variants.push([...lit(chars.slice(0, i)), { any: true }, ...lit(chars.slice(i + 1))]);
    variants.push([...lit(chars.slice(0, i)), { any: true }, ...lit(chars.slice(i))]);
    const next = chars[i + 1];
    const current = chars[i];
    if (next !== undefined && current !== undefined && next !== current) {
      variants.push(lit([...chars.slice(0, i), next, current, ...chars.slice(i + 2)]));
    }
  }
  const patterns = new Set<string>();
  for (const pieces of variants) {
    if (hasLiteralRun(pieces)) patterns.add(`%${toPattern(pieces)}%`);
  }
  patterns.delete(`%${escapeLike(key)}%`);
  return [...patterns];
};

/** ts_headline marks matches with these; extracted text never contains them. */
export const SNIPPET_START = '\u0002';
export const SNIPPET_STOP = '\u0003';

/** Marked headline text → alternating plain and matched stretches, for the client to render. */
export const toSnippet = (headline: string) => {
  const parts: { text: string; match: boolean }[] = [];
  for (const [index, chunk] of headline.split(SNIPPET_START).entries()) {
    const [matched, rest] = index === 0 ? [null, chunk] : splitOnce(chunk, SNIPPET_STOP);
    if (matched) parts.push({ text: matched, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
};

const splitOnce = (text: string, separator: string): [string, string] => {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
};
