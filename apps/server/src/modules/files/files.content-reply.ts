import type { FastifyReply } from 'fastify';
import { AppError } from '../../app/app-error.js';
import { contentDisposition, isSafeInline, responseContentType } from './files.models.js';
import type { FileContent, FileContentPlan } from './files.usecases.js';

type InlineQuery = { inline?: string | undefined };
type WithBody = Extract<FileContentPlan, { status: 200 | 206 }>;
type WithoutBody = Extract<FileContentPlan, { status: 304 | 416 }>;

const answerWithoutBody = (reply: FastifyReply, content: WithoutBody) => {
  if (content.status === 304) return reply.status(304).header('etag', content.etag).send();
  throw new AppError({
    code: 'range_not_satisfiable',
    statusCode: 416,
    message: 'The requested range is outside the file.',
    headers: { 'content-range': `bytes */${content.size}` },
  });
};

/**
 * The download headers every answer carrying file bytes must have (the REST download and a
 * share link's, streamed or handed to nginx): attachment unless a safe type is asked inline,
 * nosniff, and a sandboxing CSP either way.
 */
const setContentHeaders = (
  reply: FastifyReply,
  content: Omit<WithBody, 'blobKey'>,
  { inline: inlineParam }: InlineQuery,
) => {
  const inline =
    (inlineParam === '1' || inlineParam === 'true') && isSafeInline(content.contentType);
  reply
    .status(content.status)
    .header('etag', content.etag)
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
};

const setCommonHeaders = (reply: FastifyReply) =>
  reply
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-cache')
    .header('accept-ranges', 'bytes');

/** Sends what `openFileContent` resolved, streaming the blob. */
export const sendFileContent = (reply: FastifyReply, content: FileContent, query: InlineQuery) => {
  setCommonHeaders(reply);
  if (content.status === 304 || content.status === 416) return answerWithoutBody(reply, content);
  setContentHeaders(reply, content, query);
  return reply.header('content-length', content.length).send(content.body);
};

/**
 * A whole-file answer whose bytes nginx sends from the blob store's directory: the app has
 * decided access and every header, and `X-Accel-Redirect` names the blob under nginx's
 * `internal` location. Only whole files go this way: ranges stay with the app, which owns
 * If-Range.
 */
export const sendFileByAccelRedirect = (
  reply: FastifyReply,
  plan: WithBody,
  { prefix, ...query }: InlineQuery & { prefix: string },
) => {
  setCommonHeaders(reply);
  setContentHeaders(reply, plan, query);
  return reply.header('x-accel-redirect', `${prefix}${plan.blobKey}`).send();
};
