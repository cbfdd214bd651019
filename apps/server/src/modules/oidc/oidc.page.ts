import type { FastifyReply } from 'fastify';
import type { AppError } from '../../app/app-error.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TITLES: Partial<Record<AppError['code'], string>> = {
  sso_unavailable: 'The sign-in provider cannot be reached',
  sso_not_linked: 'No account for this sign-in',
  conflict: 'Already linked',
  not_found: 'Unknown sign-in provider',
  rate_limited: 'Too many attempts',
};

/**
 * The start and callback routes are full-page navigations, so a refusal is a page a person can
 * read (with a way back), with the error's status, never a JSON body or a stack trace.
 */
export const sendSignInErrorPage = (reply: FastifyReply, error: AppError, backTo: string) =>
  reply
    .status(error.statusCode)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>Sign-in failed · My File</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">` +
        `<h1>${escapeHtml(TITLES[error.code] ?? 'Sign-in failed')}</h1>` +
        `<p data-error-code="${escapeHtml(error.code)}">${escapeHtml(error.message)}</p>` +
        `<p><a href="${escapeHtml(backTo)}">Back to My File</a></p></body></html>`,
    );
