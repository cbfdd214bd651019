import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Turns a PDF's bytes into plain text, in a thread of its own: PDF parsing is JavaScript, and
 * a slow or hostile document must not hold the server's event loop (the parent can kill us).
 */
export type ExtractWorkerInput = { data: Uint8Array; maxChars: number };
/** The raw text, a little past `maxChars` at most; the parent makes it indexable. */
export type ExtractWorkerOutput = { ok: true; text: string } | { ok: false; message: string };

const pdfText = async (data: Uint8Array, maxChars: number) => {
  const document = await getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    let length = 0;
    for (let number = 1; number <= document.numPages && length <= maxChars; number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
        .join('');
      pages.push(text);
      length += text.length;
    }
    return pages.join('\n');
  } finally {
    await document.destroy();
  }
};

const post = (message: ExtractWorkerOutput) => parentPort?.postMessage(message);

const { data, maxChars } = workerData as ExtractWorkerInput;
// Only packages may be imported here: from source this file runs transpiled on its own.
pdfText(data, maxChars).then(
  (text) => post({ ok: true, text }),
  (error: unknown) =>
    post({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
