import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A person's browser navigating to an API URL (a download link, a file opened in a new tab)
 * says so with `Sec-Fetch-Mode: navigate`; scripts and other clients never send it.
 */
export const isBrowserNavigation = (request: FastifyRequest) =>
  request.headers['sec-fetch-mode'] === 'navigate' && request.url.startsWith('/api/');

/** The page the person came from, when it is ours: where signing in again returns to. */
const returnPath = (request: FastifyRequest) => {
  const referer = request.headers.referer;
  const host = request.headers.host;
  if (!referer || !host) return '/';
  try {
    const url = new URL(referer);
    if (url.host !== host || url.pathname.startsWith('/api/')) return '/';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/';
  }
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/**
 * What a navigation gets instead of a JSON error body, which would be a raw page of JSON:
 * signed out → the sign-in page (coming back to where the person was); anything else → a
 * short page in words with a way back.
 */
export const sendNavigationError = (
  request: FastifyRequest,
  reply: FastifyReply,
  answer: { statusCode: number; message: string },
) => {
  if (answer.statusCode === 401) {
    const next = encodeURIComponent(returnPath(request));
    return reply.status(303).header('location', `/sign-in?next=${next}`).send();
  }
  const message = escapeHtml(answer.message);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>My File</title></head><body><main><h1>This could not be opened</h1><p>${message}</p><p><a href="/">Back to My files</a></p></main></body></html>`;
  return reply.status(answer.statusCode).type('text/html; charset=utf-8').send(html);
};
