import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Turns a file's bytes into plain text, in a thread of its own: PDF parsing is JavaScript, and
 * a slow or hostile document must not hold the server's event loop (the parent can kill us).
 */
export type ExtractWorkerInput = { data: Uint8Array; kind: 'text' | 'pdf'; maxChars: number };
export type ExtractWorkerOutput =
  { ok: true; text: string; truncated: boolean } | { ok: false; message: string };

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

const extract = async ({ data, kind, maxChars }: ExtractWorkerInput) => {
  const raw = kind === 'pdf' ? await pdfText(data, maxChars) : new TextDecoder().decode(data);
  // Control characters carry no words, and two of them mark matches in snippets.
  const text = raw.replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ' '));
  return { text: text.slice(0, maxChars), truncated: text.length > maxChars };
};

const post = (message: ExtractWorkerOutput) => parentPort?.postMessage(message);

extract(workerData as ExtractWorkerInput).then(
  ({ text, truncated }) => post({ ok: true, text, truncated }),
  (error: unknown) =>
    post({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
