import type { FastifyReply } from 'fastify';
import { AppError } from '../../app/app-error.js';
import { contentDisposition, isSafeInline, responseContentType } from './files.models.js';
import type { FileContent } from './files.usecases.js';

/**
 * Sends what `openFileContent` resolved, with the download headers every route that serves file
 * bytes must carry (the REST download and a share link's): attachment unless a safe type is
 * asked inline, nosniff, and a sandboxing CSP either way.
 */
export const sendFileContent = (
  reply: FastifyReply,
  content: FileContent,
  { inline: inlineParam }: { inline?: string | undefined },
) => {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('cache-control', 'private, no-cache');
  reply.header('accept-ranges', 'bytes');
  if (content.status === 304) return reply.status(304).header('etag', content.etag).send();
  if (content.status === 416) {
    throw new AppError({
      code: 'range_not_satisfiable',
      statusCode: 416,
      message: 'The requested range is outside the file.',
      headers: { 'content-range': `bytes */${content.size}` },
    });
  }
  const inline =
    (inlineParam === '1' || inlineParam === 'true') && isSafeInline(content.contentType);
  reply
    .status(content.status)
    .header('etag', content.etag)
    .header('content-length', content.length)
    .header('content-type', responseContentType(content.contentType))
    .header(
      'content-disposition',
      contentDisposition(inline ? 'inline' : 'attachment', content.name),
    )
    // Even a safe type renders in a sandbox: no scripts, no same-origin access.
    .header('content-security-policy', inline ? 'sandbox' : "default-src 'none'; sandbox");
  if (content.range) {
    reply.header(
      'content-range',
      `bytes ${content.range.start}-${content.range.end}/${content.size}`,
    );
  }
  return reply.send(content.body);
};
