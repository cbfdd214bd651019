import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

export const THUMBNAIL_MAX_EDGE = 256;
/** Refused before decoding: a pixel-flood image cannot make us allocate gigabytes. */
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

export class ThumbnailRefusedError extends Error {
  readonly code = 'thumbnail_refused';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ThumbnailRefusedError';
  }
}

/**
 * A WebP at most 256 px on its longer edge, upright (EXIF orientation applied) and without
 * metadata (no GPS position leaks into a thumbnail). The source is streamed into libvips;
 * only the small result is held in memory. libvips is loaded with the first thumbnail, so a
 * server that makes none does not carry it.
 */
export const renderThumbnail = async ({
  source,
  maxInputPixels = DEFAULT_MAX_INPUT_PIXELS,
}: {
  source: Readable;
  maxInputPixels?: number;
}): Promise<{ body: Buffer; width: number; height: number; contentType: 'image/webp' }> => {
  const { default: sharp } = await import('sharp');
  const transformer = sharp({ limitInputPixels: maxInputPixels, failOn: 'error', pages: 1 })
    .rotate()
    .resize(THUMBNAIL_MAX_EDGE, THUMBNAIL_MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 });
  try {
    const [{ data, info }] = await Promise.all([
      transformer.toBuffer({ resolveWithObject: true }),
      pipeline(source, transformer),
    ]);
    return { body: data, width: info.width, height: info.height, contentType: 'image/webp' };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw new ThumbnailRefusedError(
      /pixel limit/i.test(message)
        ? `The image has more than ${maxInputPixels} pixels; no thumbnail is made for it.`
        : 'The image could not be decoded.',
      { cause: error },
    );
  }
};
