import type { NodeDto } from '@myfile/contract';
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, toApiError } from '../api/api-error.js';
import { apiFetch } from '../api/http.js';
import { contentUrl } from '../files/files-api.js';
import { useTranslation } from '../i18n/i18n.js';

// The PDF is parsed in this worker (same origin, as the CSP's script-src 'self' requires).
GlobalWorkerOptions.workerSrc = workerUrl;

/** Pages drawn at most; a longer document says so. */
const MAX_PAGES = 100;

type State =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; pages: number };

/**
 * A PDF drawn by PDF.js page by page onto canvases: nothing of the file becomes markup in the
 * page, no script of it runs (eval is off, so fonts are not compiled to code) and the parsing
 * happens in a worker.
 */
const PdfViewer = ({ file }: { file: Pick<NodeDto, 'id' | 'name'> }) => {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ status: 'loading' });
  const pagesRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    let document: PDFDocumentProxy | undefined;
    const load = async () => {
      const response = await apiFetch(contentUrl(file.id));
      if (!response.ok) throw await toApiError(response);
      const data = new Uint8Array(await response.arrayBuffer());
      document = await getDocument({ data, isEvalSupported: false, enableXfa: false }).promise;
      if (cancelled) return;
      setState({ status: 'ready', pages: document.numPages });
      const container = pagesRef.current;
      const width = Math.max(320, (container?.clientWidth ?? 800) - 24);
      const ratio = window.devicePixelRatio || 1;
      for (let number = 1; number <= Math.min(document.numPages, MAX_PAGES); number += 1) {
        const page = await document.getPage(number);
        if (cancelled) return;
        const viewport = page.getViewport({ scale: 1 });
        const scaled = page.getViewport({ scale: (width / viewport.width) * ratio });
        const canvas = window.document.createElement('canvas');
        canvas.width = Math.ceil(scaled.width);
        canvas.height = Math.ceil(scaled.height);
        canvas.style.width = `${width}px`;
        canvas.className = 'pdf-page';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute(
          'aria-label',
          t('preview.page', { page: number, count: document.numPages }),
        );
        pagesRef.current?.append(canvas);
        await page.render({ canvas, viewport: scaled }).promise;
      }
    };
    load().catch((error: unknown) => {
      if (!cancelled) setState({ status: 'error', message: errorMessage(error) });
    });
    const pages = pagesRef.current;
    return () => {
      cancelled = true;
      pages?.replaceChildren();
      void document?.destroy();
    };
  }, [file.id]);

  return (
    <div className="pdf-viewer">
      {state.status === 'loading' && <p role="status">{t('common.loading')}</p>}
      {state.status === 'error' && <p role="alert">{state.message}</p>}
      {state.status === 'ready' && state.pages > MAX_PAGES && (
        <p className="muted">{t('preview.firstPages', { shown: MAX_PAGES, count: state.pages })}</p>
      )}
      <div
        ref={pagesRef}
        className="pdf-pages"
        tabIndex={0}
        role="region"
        aria-label={t('preview.pagesOf', { name: file.name })}
        aria-busy={state.status === 'loading'}
      />
    </div>
  );
};

export default PdfViewer;
