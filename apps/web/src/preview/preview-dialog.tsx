import type { NodeDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatBytes } from '../api/format.js';
import { ensureSession } from '../api/http.js';
import { contentUrl } from '../files/files-api.js';
import { humanKind } from '../files/kinds.js';
import { isTypingTarget } from '../files/shortcuts-dialog.js';
import { useTranslation } from '../i18n/i18n.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { SessionLink } from '../ui/session-link.js';
import { ImageViewer } from './image-viewer.js';
import { codeLanguageOf, PDF_INLINE_MAX_BYTES, previewKind } from './preview-kinds.js';
import { TEXT_PREVIEW_BYTES, useFileText } from './use-file-text.js';
import './preview.css';

// The heavy viewers load when first needed, so the app's first script stays small.
const MarkdownView = lazy(() => import('./markdown-view.js'));
const CodeView = lazy(() => import('./code-view.js'));
const PdfViewer = lazy(() => import('./pdf-viewer.js'));

const Loading = () => {
  const { t } = useTranslation();
  return <p role="status">{t('common.loading')}</p>;
};
const loading = <Loading />;

const TextBody = ({ file, render }: { file: NodeDto; render(text: string): ReactNode }) => {
  const { t } = useTranslation();
  const text = useFileText(file);
  if (text.isPending) return loading;
  if (text.isError) return <p role="alert">{errorMessage(text.error)}</p>;
  return (
    <>
      <Suspense fallback={loading}>{render(text.data)}</Suspense>
      {file.size > TEXT_PREVIEW_BYTES && (
        <p className="muted">{t('preview.textCut', { size: formatBytes(TEXT_PREVIEW_BYTES) })}</p>
      )}
    </>
  );
};

/**
 * Pictures, players and PDFs fetch their bytes as the browser does, with the cookies only:
 * after an idle while the access cookie has lapsed, so the session is refreshed first.
 */
const useFreshSession = () =>
  useQuery({
    queryKey: ['fresh-session'],
    queryFn: async () => {
      await ensureSession();
      return true;
    },
    staleTime: 60_000,
  }).isFetched;

const PreviewBody = ({ file }: { file: NodeDto }) => {
  const { t } = useTranslation();
  const kind = previewKind(file);
  const src = contentUrl(file.id, true);
  const sessionReady = useFreshSession();
  if (file.storageState !== 'hot') {
    return <p>{t('preview.archived')}</p>;
  }
  if (!sessionReady && (kind === 'image' || kind === 'audio' || kind === 'video' || kind === 'pdf'))
    return loading;
  switch (kind) {
    case 'image':
      return <ImageViewer key={file.id} src={src} alt={file.name} />;
    case 'audio':
      return (
        <audio key={file.id} className="media-preview" src={src} controls preload="metadata" />
      );
    case 'video':
      return (
        <video key={file.id} className="media-preview" src={src} controls preload="metadata" />
      );
    case 'text':
      return (
        <TextBody
          file={file}
          render={(text) => (
            <pre className="text-preview" tabIndex={0}>
              {text}
            </pre>
          )}
        />
      );
    case 'markdown':
      return <TextBody file={file} render={(text) => <MarkdownView text={text} />} />;
    case 'code':
      return (
        <TextBody
          file={file}
          render={(text) => (
            <CodeView text={text} language={codeLanguageOf(file.name) ?? 'plaintext'} />
          )}
        />
      );
    case 'pdf':
      if (file.size > PDF_INLINE_MAX_BYTES) {
        return <p>{t('preview.pdfTooLarge')}</p>;
      }
      return (
        <Suspense fallback={loading}>
          <PdfViewer key={file.id} file={file} />
        </Suspense>
      );
    case null:
      return <p>{t('preview.noPreview', { kind: humanKind(file) })}</p>;
  }
};

type Props = {
  file: NodeDto;
  onClose(): void;
  /** The folder's entries in their order: ← and → step through the previewable files. */
  siblings?: readonly NodeDto[];
  onNavigate?(file: NodeDto): void;
};

export const isPreviewable = (node: NodeDto) =>
  node.kind === 'file' && node.storageState === 'hot' && previewKind(node) !== null;

export const PreviewDialog = ({ file, onClose, siblings = [], onNavigate }: Props) => {
  const { t } = useTranslation();
  const files = siblings.filter((node) => node.id === file.id || isPreviewable(node));
  const index = files.findIndex((node) => node.id === file.id);
  const previous = index > 0 ? files[index - 1] : undefined;
  const next = index >= 0 ? files[index + 1] : undefined;

  useEffect(() => {
    if (!onNavigate) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      // A player's own arrows seek; a text field's move the caret.
      if (isTypingTarget(target) || target instanceof HTMLMediaElement) return;
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const to = event.key === 'ArrowLeft' ? previous : event.key === 'ArrowRight' ? next : null;
      if (!to) return;
      event.preventDefault();
      onNavigate(to);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onNavigate, previous, next]);

  return (
    <ModalDialog title={file.name} onClose={onClose} wide>
      {onNavigate && files.length > 1 && index >= 0 && (
        <div className="preview-nav">
          <button
            type="button"
            className="button"
            disabled={!previous}
            aria-keyshortcuts="ArrowLeft"
            onClick={() => previous && onNavigate(previous)}
          >
            {t('preview.previous')}
          </button>
          <span className="muted" aria-live="polite">
            {t('preview.position', { index: index + 1, count: files.length })}
          </span>
          <button
            type="button"
            className="button"
            disabled={!next}
            aria-keyshortcuts="ArrowRight"
            onClick={() => next && onNavigate(next)}
          >
            {t('preview.next')}
          </button>
        </div>
      )}
      <div className="preview-body">
        <PreviewBody file={file} />
      </div>
      <div className="dialog-actions">
        <span className="muted">
          {formatBytes(file.size)} · {humanKind(file)}
        </span>
        {file.storageState === 'hot' && previewKind(file) === 'pdf' && (
          <SessionLink
            className="button"
            href={contentUrl(file.id, true)}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('preview.openPdf')}
          </SessionLink>
        )}
        {file.storageState === 'hot' && (
          <SessionLink className="button primary" href={contentUrl(file.id)} download={file.name}>
            {t('preview.download')}
          </SessionLink>
        )}
      </div>
    </ModalDialog>
  );
};
