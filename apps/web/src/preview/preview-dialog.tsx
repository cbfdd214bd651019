import type { NodeDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../api/api-error.js';
import { formatBytes } from '../api/format.js';
import { apiFetch } from '../api/http.js';
import { toApiError } from '../api/api-error.js';
import { contentUrl } from '../files/files-api.js';
import { humanKind } from '../files/kinds.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { SessionLink } from '../ui/session-link.js';

/** The server's safe inline list: anything else is only ever downloaded. */
export const previewKind = (contentType: string | null) => {
  const type = contentType ?? '';
  if (/^image\/(?!svg)/.test(type)) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'application/pdf') return 'pdf';
  if (type === 'text/plain') return 'text';
  return null;
};

const TEXT_PREVIEW_BYTES = 256 * 1024;

const TextPreview = ({ file }: { file: NodeDto }) => {
  const text = useQuery({
    queryKey: ['preview-text', file.id, file.updatedAt],
    queryFn: async () => {
      const response = await apiFetch(contentUrl(file.id, true), {
        headers: { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` },
      });
      if (!response.ok) throw await toApiError(response);
      return response.text();
    },
  });
  if (text.isPending) return <p role="status">Loading…</p>;
  if (text.isError) return <p role="alert">{errorMessage(text.error)}</p>;
  return (
    <>
      <pre className="text-preview" tabIndex={0}>
        {text.data}
      </pre>
      {file.size > TEXT_PREVIEW_BYTES && (
        <p className="muted">
          Showing the first {formatBytes(TEXT_PREVIEW_BYTES)}. Download for the rest.
        </p>
      )}
    </>
  );
};

const PreviewBody = ({ file }: { file: NodeDto }) => {
  const kind = previewKind(file.contentType);
  const src = contentUrl(file.id, true);
  if (file.storageState !== 'hot') {
    return <p>This file is archived. Restore its folder to preview or download it.</p>;
  }
  switch (kind) {
    case 'image':
      return <img className="image-preview" src={src} alt={file.name} />;
    case 'audio':
      return <audio className="media-preview" src={src} controls />;
    case 'video':
      return <video className="media-preview" src={src} controls />;
    case 'text':
      return <TextPreview file={file} />;
    case 'pdf':
      return (
        <p>
          PDFs open in the browser&apos;s own viewer.{' '}
          <SessionLink href={src} target="_blank" rel="noopener noreferrer">
            Open the PDF in a new tab
          </SessionLink>
          .
        </p>
      );
    case null:
      return <p>There is no preview for this kind of file ({humanKind(file)}).</p>;
  }
};

export const PreviewDialog = ({ file, onClose }: { file: NodeDto; onClose(): void }) => (
  <ModalDialog title={file.name} onClose={onClose} wide>
    <div className="preview-body">
      <PreviewBody file={file} />
    </div>
    <div className="dialog-actions">
      <span className="muted">
        {formatBytes(file.size)} · {humanKind(file)}
      </span>
      {file.storageState === 'hot' && (
        <SessionLink className="button primary" href={contentUrl(file.id)} download={file.name}>
          Download
        </SessionLink>
      )}
    </div>
  </ModalDialog>
);
