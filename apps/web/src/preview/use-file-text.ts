import type { NodeDto } from '@myfile/contract';
import { useQuery } from '@tanstack/react-query';
import { toApiError } from '../api/api-error.js';
import { apiFetch } from '../api/http.js';
import { contentUrl } from '../files/files-api.js';

/** Text, Markdown and code previews read this much of the file (a Range request). */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

/** The start of a file as text, read by the app (the server never renders it). */
export const useFileText = (file: Pick<NodeDto, 'id' | 'updatedAt'>) =>
  useQuery({
    queryKey: ['preview-text', file.id, file.updatedAt],
    queryFn: async () => {
      const response = await apiFetch(contentUrl(file.id), {
        headers: { Range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` },
      });
      if (!response.ok) throw await toApiError(response);
      return response.text();
    },
  });
