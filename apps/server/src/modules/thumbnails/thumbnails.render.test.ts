import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { canRenderThumbnail } from './thumbnails.models.js';
import { renderThumbnail, ThumbnailRefusedError } from './thumbnails.render.js';

const image = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } });

const render = async (input: Buffer, maxInputPixels?: number) =>
  renderThumbnail({
    source: Readable.from([input]),
    ...(maxInputPixels ? { maxInputPixels } : {}),
  });

describe('renderThumbnail', () => {
  test.each([
    ['jpeg', () => image(1600, 1200).jpeg().toBuffer()],
    ['png', () => image(1600, 1200).png().toBuffer()],
    ['webp', () => image(1600, 1200).webp().toBuffer()],
    ['gif', () => image(1600, 1200).gif().toBuffer()],
    ['avif', () => image(1600, 1200).avif().toBuffer()],
  ])('a %s becomes a WebP at most 256 px wide, keeping its aspect', async (_format, make) => {
    const thumbnail = await render(await make());
    expect(thumbnail).toMatchObject({ width: 256, height: 192, contentType: 'image/webp' });
    expect((await sharp(thumbnail.body).metadata()).format).toBe('webp');
  });

  test('a small image is not enlarged', async () => {
    const thumbnail = await render(await image(100, 40).png().toBuffer());
    expect(thumbnail).toMatchObject({ width: 100, height: 40 });
  });

  test('EXIF orientation is applied and metadata is dropped', async () => {
    const rotated = await image(400, 200)
      .jpeg()
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'secret place' } } })
      .toBuffer();
    const thumbnail = await render(rotated);
    expect(thumbnail).toMatchObject({ width: 128, height: 256 });
    const metadata = await sharp(thumbnail.body).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
  });

  test('an image over the pixel limit is refused before it is decoded', async () => {
    const big = await image(2000, 2000).png().toBuffer();
    await expect(render(big, 1_000_000)).rejects.toThrow(/more than 1000000 pixels/);
  });

  test('bytes that are not an image are refused with a typed error', async () => {
    await expect(render(Buffer.from('<svg onload="alert(1)"></svg>'))).rejects.toBeInstanceOf(
      ThumbnailRefusedError,
    );
  });

  test('a truncated image is refused, not half-rendered', async () => {
    const jpeg = await image(800, 600).jpeg().toBuffer();
    await expect(render(jpeg.subarray(0, jpeg.length / 2))).rejects.toBeInstanceOf(
      ThumbnailRefusedError,
    );
  });

  test('only decodable raster types are offered; SVG and HTML never are', () => {
    expect(canRenderThumbnail('image/jpeg')).toBe(true);
    expect(canRenderThumbnail('image/avif')).toBe(true);
    expect(canRenderThumbnail('image/svg+xml')).toBe(false);
    expect(canRenderThumbnail('text/html')).toBe(false);
  });
});
