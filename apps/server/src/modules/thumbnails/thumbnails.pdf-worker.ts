import { parentPort, workerData } from 'node:worker_threads';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Renders page 1 of a PDF to a PNG, in a thread of its own: PDF parsing is JavaScript, and a
 * slow or hostile document must not hold the server's event loop (the parent can kill us).
 */
export type PdfWorkerInput = { data: Uint8Array; maxEdge: number; maxImagePixels: number };
export type PdfWorkerOutput = { ok: true; png: Uint8Array } | { ok: false; message: string };

const renderFirstPage = async ({ data, maxEdge, maxImagePixels }: PdfWorkerInput) => {
  const document = await getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    // An embedded image past this is skipped rather than decoded (a bomb inside the PDF).
    maxImageSize: maxImagePixels,
    verbosity: 0,
  }).promise;
  try {
    const page = await document.getPage(1);
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({
      scale: maxEdge / Math.max(natural.width, natural.height, 1),
    });
    const canvas = createCanvas(
      Math.max(1, Math.ceil(viewport.width)),
      Math.max(1, Math.ceil(viewport.height)),
    );
    const context = canvas.getContext('2d');
    // PDF pages are paper: transparent areas are white, not black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    // @napi-rs/canvas implements the 2D context PDF.js draws on (its DOM types are not loaded here).
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    return await canvas.encode('png');
  } finally {
    await document.destroy();
  }
};

const post = (message: PdfWorkerOutput) => parentPort?.postMessage(message);

renderFirstPage(workerData as PdfWorkerInput).then(
  (png) => post({ ok: true, png }),
  (error: unknown) =>
    post({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
