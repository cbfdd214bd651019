import { createHash } from 'node:crypto';
import type { DomainEvent } from '@myfile/contract';
import { invalidRequest } from '../../app/app-error.js';
import { thumbnailUrlOf } from '../thumbnails/thumbnails.models.js';
import { folderArchived } from './nodes.errors.js';
import type { NodeRow, StorageState } from './nodes.tables.js';

const MAX_NAME_BYTES = 255;
// C0 and C1 control characters, DEL included.
const hasControlCharacter = (name: string) => {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
};

/**
 * Characters that change how a name is displayed without being seen: bidi embeddings and
 * overrides (U+202A–202E: "evil\u202Etxt.exe" shows as "evilexe.txt"), bidi isolates
 * (U+2066–2069), zero-width and direction marks (U+200B–200F, U+061C), word joiners and
 * invisible operators (U+2060–2064), the BOM (U+FEFF), the soft hyphen (U+00AD) and the
 * Mongolian vowel separator (U+180E). "re\u200bport" beside "report" would be two names that
 * look the same. The zero-width joiner inside an emoji sequence (👩‍💻) is the one exception.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const EMOJI_ZWJ =
  /(?<=\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F)\u200D(?=\p{Extended_Pictographic})/gu;
const hasInvisibleCharacter = (name: string) => INVISIBLE.test(name.replace(EMOJI_ZWJ, ''));

/** The folder content type, so a listing sorted by type needs no nullable column. */
export const FOLDER_CONTENT_TYPE = 'inode/directory';

/**
 * Returns the stored (NFC) form of a user-given name or throws 400 `invalid_request`.
 * Trailing dots and spaces are refused because Windows silently strips them, which would make
 * two distinct names collide on download.
 */
export const normalizeName = (raw: string, field = 'name'): string => {
  const name = raw.normalize('NFC');
  if (name.length === 0) throw invalidRequest('A name cannot be empty.', field);
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    throw invalidRequest('A name is at most 255 bytes long.', field);
  if (name.includes('/')) throw invalidRequest('A name cannot contain "/".', field);
  if (hasControlCharacter(name))
    throw invalidRequest('A name cannot contain control characters.', field);
  if (hasInvisibleCharacter(name))
    throw invalidRequest(
      'A name cannot contain invisible or text-direction characters (such as U+202E or U+200B).',
      field,
    );
  if (name === '.' || name === '..') throw invalidRequest('A name cannot be "." or "..".', field);
  if (/[. ]$/.test(name)) throw invalidRequest('A name cannot end with a space or a dot.', field);
  return name;
};

/**
 * The names of a slash-separated path (`/Photos/2026`, `Photos/2026/`), each validated and
 * normalised like any name. Empty segments are dropped; `.` and `..` are refused, never resolved.
 */
export const splitPath = (path: string, field = 'path'): string[] =>
  path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => normalizeName(segment, field));

/**
 * The sibling-uniqueness key: NFC then full case folding. Upper-then-lower folds the cases
 * toLowerCase alone misses (ß and SS, final sigma).
 */
export const toNameKey = (name: string): string =>
  name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');

/**
 * Natural order in plain byte order: each digit run becomes its length (3 digits) followed by
 * the digits without leading zeros, so "file2" < "file10" and "a02" sorts with "a2".
 */
export const toSortKey = (name: string): string =>
  toNameKey(name).replace(/\d+/g, (run) => {
    const digits = run.replace(/^0+(?=\d)/, '');
    return `${String(digits.length).padStart(3, '0')}${digits}`;
  });

/** "a.txt" → "a (1).txt"; a leading dot is part of the stem (".env" → ".env (1)"). */
export const withCopySuffix = (name: string, n: number): string => {
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1;
  const stem = hasExtension ? name.slice(0, dot) : name;
  const extension = hasExtension ? name.slice(dot) : '';
  const suffix = ` (${n})`;
  // Cut whole graphemes, so an emoji or an accented letter is never split in half.
  const stemChars = Array.from(new Intl.Segmenter().segment(stem), (part) => part.segment);
  let candidate = `${stem}${suffix}${extension}`;
  // Keep within the byte limit by shortening the stem, never the suffix or the extension.
  while (Buffer.byteLength(candidate, 'utf8') > MAX_NAME_BYTES && stemChars.length > 1) {
    stemChars.pop();
    candidate = `${stemChars.join('')}${suffix}${extension}`;
  }
  return candidate;
};

export type NodeDto = {
  id: string;
  kind: 'folder' | 'file';
  parentId: string | null;
  name: string;
  size: number;
  contentType: string | null;
  sha256: string | null;
  storageState: StorageState;
  archiveError: string | null;
  thumbnailUrl: string | null;
  createdAt: string;
  updatedAt: string;
};

/** What a node's answer is made of; a folder page reads its timestamps as ISO strings already. */
export type NodeDtoSource = Pick<
  NodeRow,
  | 'id'
  | 'is_folder'
  | 'parent_id'
  | 'name'
  | 'size'
  | 'content_type'
  | 'sha256'
  | 'storage_state'
  | 'archive_error'
  | 'blob_key'
  | 'thumbnail_state'
  | 'trashed_at'
> & { created_at: Date | string; updated_at: Date | string };

const isoOf = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());

export const toNodeDto = (row: NodeDtoSource): NodeDto => ({
  id: row.id,
  kind: row.is_folder ? 'folder' : 'file',
  parentId: row.parent_id,
  name: row.name,
  size: row.size,
  contentType: row.is_folder ? null : row.content_type,
  sha256: row.sha256,
  storageState: row.storage_state,
  archiveError: row.archive_error,
  thumbnailUrl: thumbnailUrlOf(row),
  createdAt: isoOf(row.created_at),
  updatedAt: isoOf(row.updated_at),
});

type NodeAction = 'created' | 'updated' | 'moved' | 'trashed' | 'restored' | 'deleted';

/**
 * Marks a node event whose own statement found that the owner shares nothing (no share, no
 * viewer link): nobody else can hear of it, so the fan-out need not ask the database again.
 * A symbol, so it never reaches a client or another process: there the question is asked.
 */
const OWNER_SHARES_NOTHING = Symbol('ownerSharesNothing');

export const ownerSharesNothingIn = (event: DomainEvent): boolean =>
  (event as { [OWNER_SHARES_NOTHING]?: true })[OWNER_SHARES_NOTHING] === true;

/** The typed event for a change to `row`; published by the caller once its transaction commits. */
export const toNodeEvent = (
  row: NodeRow,
  action: NodeAction,
  extra: { previousParentId?: string | null; at?: Date; ownerSharesNothing?: boolean } = {},
): DomainEvent => {
  const summary = {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    size: row.size,
    contentType: row.is_folder ? null : row.content_type,
  };
  const base = {
    userId: row.owner_id,
    at: (extra.at ?? new Date()).toISOString(),
    ...(extra.previousParentId !== undefined ? { previousParentId: extra.previousParentId } : {}),
  };
  const event: DomainEvent = row.is_folder
    ? { ...base, type: `folder.${action}`, folder: summary }
    : { ...base, type: `file.${action}`, file: summary };
  return extra.ownerSharesNothing === true
    ? Object.assign(event, { [OWNER_SHARES_NOTHING]: true })
    : event;
};

/** Archiving makes a folder's whole subtree read-only until it is restored. */
export const ensureNodeIsWritable = (node: Pick<NodeRow, 'storage_state'>) => {
  if (node.storage_state !== 'hot') throw folderArchived();
};

/**
 * The ETag of a file's or folder's metadata (not its content): it changes whenever anything a
 * client sees of the node does, so `If-Match` on a PATCH refuses to overwrite a change the
 * client has not seen (optimistic concurrency, RFC 9110 §13.1.1).
 */
export const nodeVersionTag = (
  row: Pick<
    NodeRow,
    'id' | 'name' | 'parent_id' | 'size' | 'sha256' | 'storage_state' | 'updated_at'
  >,
) =>
  `"${createHash('sha256')
    .update(
      JSON.stringify([
        row.id,
        row.name,
        row.parent_id,
        row.size,
        row.sha256,
        row.storage_state,
        row.updated_at.toISOString(),
      ]),
    )
    .digest('base64url')
    .slice(0, 27)}"`;

/** `If-Match` (strong comparison): `*` or one of the listed tags; absent means "any". */
export const ifMatchAllows = (header: string | undefined, tag: string) =>
  header === undefined ||
  header.trim() === '*' ||
  header.split(',').some((candidate) => candidate.trim() === tag);
