import type { NodeDto, UploadedFiles } from '@myfile/contract';
import type { Upload } from 'tus-js-client';
import { ApiError, networkError } from '../api/api-error.js';
import { api, getCsrfToken, refreshSession } from '../api/http.js';
import { t } from '../i18n/i18n.js';
import type { CreateTransfer, Transfer } from './upload-queue.js';

/** Above this a file goes over tus, so a dropped connection resumes where it stopped. */
export const TUS_THRESHOLD = 8 * 1024 * 1024;
const TUS_CHUNK = 16 * 1024 * 1024;

const parseError = (status: number, body: string, retryAfter: string | null) => {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
    if (parsed.error?.message) {
      const seconds = Number(retryAfter);
      return new ApiError({
        status,
        code: (parsed.error.code ?? 'internal') as ApiError['code'],
        message: parsed.error.message,
        ...(seconds > 0 ? { retryAfterSeconds: seconds } : {}),
      });
    }
  } catch {
    // Not our JSON: a generic sentence below.
  }
  return new ApiError({
    status,
    code: 'internal',
    message: status === 413 ? t('uploads.tooLarge') : t('uploads.httpFailed', { status }),
  });
};

/** A multipart form post with upload progress (fetch cannot report it; XHR can). */
export const formTransfer: CreateTransfer = ({ file, folderId, onProgress }) => {
  let xhr: XMLHttpRequest | undefined;
  const post = (csrf: string) =>
    new Promise<{ status: number; body: string; retryAfter: string | null }>((resolve, reject) => {
      const request = new XMLHttpRequest();
      xhr = request;
      request.open('POST', `/api/folders/${encodeURIComponent(folderId)}/files`);
      request.setRequestHeader('X-CSRF-Token', csrf);
      request.upload.onprogress = (event) => onProgress(event.loaded);
      request.onload = () =>
        resolve({
          status: request.status,
          body: request.responseText,
          retryAfter: request.getResponseHeader('retry-after'),
        });
      request.onerror = () => reject(networkError());
      request.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
      const form = new FormData();
      form.append('file', file, file.name);
      request.send(form);
    });
  return {
    async start() {
      onProgress(0);
      let answer = await post(await getCsrfToken());
      if (answer.status === 401 && (await refreshSession())) {
        onProgress(0);
        answer = await post(await getCsrfToken());
      }
      if (answer.status !== 201) throw parseError(answer.status, answer.body, answer.retryAfter);
      const created = (JSON.parse(answer.body) as UploadedFiles).files[0];
      if (!created) throw parseError(500, '', null);
      return created;
    },
    pause: () => xhr?.abort(),
    cancel: () => xhr?.abort(),
  };
};

/** tus 1.0 for large files: pause keeps the server's offset, resume asks for it and goes on. */
export const tusTransfer: CreateTransfer = ({ file, folderId, onProgress }) => {
  let upload: Upload | undefined;
  /** False once paused or cancelled, so a start still loading the tus client stops there. */
  let wanted = false;
  let settle: { resolve(id: string): void; reject(error: unknown): void } | undefined;
  const ensureUpload = async () => {
    // Only files above 8 MiB need tus: its client loads then, not with the app.
    const { Upload } = await import('tus-js-client');
    upload ??= new Upload(file, {
      endpoint: '/api/uploads',
      chunkSize: TUS_CHUNK,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { filename: file.name, folderId, onConflict: 'rename' },
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (request) => {
        request.setHeader('X-CSRF-Token', await getCsrfToken());
      },
      onProgress: (sent) => onProgress(sent),
      onSuccess: (payload) => {
        settle?.resolve(payload.lastResponse.getHeader('X-File-Id') ?? '');
      },
      onError: (error) => {
        const response = 'originalResponse' in error ? error.originalResponse : null;
        settle?.reject(
          response
            ? parseError(
                response.getStatus(),
                response.getBody(),
                response.getHeader('Retry-After') ?? null,
              )
            : networkError(),
        );
      },
    });
    return upload;
  };
  const transfer: Transfer = {
    async start() {
      wanted = true;
      const started = await ensureUpload();
      if (!wanted) throw new DOMException('Aborted', 'AbortError');
      const fileId = await new Promise<string>((resolve, reject) => {
        settle = { resolve, reject };
        started.start();
      });
      return api<NodeDto>(`/api/files/${encodeURIComponent(fileId)}`);
    },
    pause: () => {
      wanted = false;
      void upload?.abort(false);
    },
    cancel: () => {
      wanted = false;
      void upload?.abort(true).catch(() => undefined);
    },
  };
  return transfer;
};

export const createTransfer: CreateTransfer = (input) =>
  input.file.size > TUS_THRESHOLD ? tusTransfer(input) : formTransfer(input);
