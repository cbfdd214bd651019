import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { renderPdfFirstPage } from './thumbnails.pdf.js';
import { ThumbnailRefusedError } from './thumbnails.render.js';
import { minimalPdf } from './thumbnails.test-utils.js';

const render = (data: Buffer, options: { maxBytes?: number; timeoutMs?: number } = {}) =>
  renderPdfFirstPage({
    source: Readable.from([data]),
    maxBytes: options.maxBytes ?? 1_000_000,
    maxImagePixels: 50_000_000,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });

describe('renderPdfFirstPage (PDF.js in a worker thread)', () => {
  test('page 1 becomes a PNG 512 px on its longer edge, white paper, red rectangle', async () => {
    const png = await render(minimalPdf(200, 100));
    const image = sharp(png);
    expect(await image.metadata()).toMatchObject({ format: 'png', width: 512, height: 256 });
    const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    expect(pixel(2, 2)).toEqual([255, 255, 255]);
    expect(pixel(256, 128)).toEqual([255, 0, 0]);
  });

  test('bytes that are not a PDF are refused with the typed error', async () => {
    const refused = render(Buffer.from('%PDF-1.4 nothing else'));
    await expect(refused).rejects.toBeInstanceOf(ThumbnailRefusedError);
    // Refused by PDF.js itself, not by a worker that failed to start.
    await expect(refused).rejects.toThrow(/^The PDF could not be rendered: ./);
  });

  test('a document over the byte limit is refused without rendering', async () => {
    await expect(render(minimalPdf(), { maxBytes: 100 })).rejects.toThrow(/larger than 100 bytes/);
  });

  test('a render that takes too long is stopped and refused', async () => {
    await expect(render(minimalPdf(), { timeoutMs: 1 })).rejects.toThrow(/longer than 1 ms/);
  });
});
