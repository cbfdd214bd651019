import type { NodeRow, ThumbnailState } from '../nodes/nodes.tables.js';

export type ThumbnailSettings = {
  /** Images with more pixels are refused before decoding (pixel-flood guard). */
  maxPixels: number;
  /** Larger sources get no thumbnail at all; 0 turns thumbnails off. */
  maxSourceBytes: number;
};

/**
 * What libvips here can decode (its HEIF support is AVIF only; no HEIC), and PDF (page 1, by
 * PDF.js). SVG never: it is code.
 */
const THUMBNAILABLE = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
]);

export const canRenderThumbnail = (contentType: string) => THUMBNAILABLE.has(contentType);

/** The state a file's new content starts in: `pending` means a render job goes with it. */
export const initialThumbnailState = (
  settings: ThumbnailSettings,
  content: { contentType: string; size: number },
): ThumbnailState =>
  content.size > 0 &&
  content.size <= settings.maxSourceBytes &&
  canRenderThumbnail(content.contentType)
    ? 'pending'
    : null;

const THUMBNAIL_KEY_PREFIX = 'thumbnails/';

/**
 * Keyed by the content's blob, not the file: new content gets a new key, so a thumbnail can
 * never outlive or misdescribe the bytes it was made from.
 */
export const thumbnailKeyOf = (blobKey: string) => `${THUMBNAIL_KEY_PREFIX}${blobKey}`;

/** The blob a thumbnail key was made from, or null for any other key. */
export const blobKeyOfThumbnail = (key: string): string | null =>
  key.startsWith(THUMBNAIL_KEY_PREFIX) ? key.slice(THUMBNAIL_KEY_PREFIX.length) : null;

/**
 * A trashed file's thumbnail is not served (the route sees live files only). The blob's id in
 * the query makes the URL change with the content, so a browser may cache each URL for long.
 */
export const thumbnailUrlOf = (
  row: Pick<NodeRow, 'id' | 'blob_key' | 'thumbnail_state' | 'trashed_at'>,
): string | null =>
  row.thumbnail_state === 'ready' && row.blob_key && !row.trashed_at
    ? `/api/files/${row.id}/thumbnail?v=${thumbnailVersionOf(row.blob_key)}`
    : null;

export const thumbnailVersionOf = (blobKey: string) => blobKey.slice(blobKey.lastIndexOf('/') + 1);

export const thumbnailEtagOf = (blobKey: string) => `"thumb-${thumbnailVersionOf(blobKey)}"`;
