import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../app/app-error.js';
import { sendIndex } from '../../app/web-app.js';
import type { Db } from '../../db/database.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import { openLink } from './links.usecases.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · My File</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">` +
  `<h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/**
 * `/s/<token>`, the address a link's recipient opens. With the web app built, its page for the
 * link answers (it talks to `/api/s/<token>`); without it, a plain page says what the link is.
 * Either way a dead link is a page with the right status (404, 410), never a stack trace.
 */
export const linkPageRoutes =
  ({
    db,
    ring,
    hasWebApp,
  }: {
    db: Db;
    ring: () => KeyRing;
    hasWebApp: boolean;
  }): FastifyPluginAsync =>
  async (app) => {
    app.get<{ Params: { token: string } }>(
      '/s/:token',
      { schema: { hide: true } },
      async (request, reply) => {
        reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
        try {
          const { link } = await openLink({
            db,
            ring: ring(),
            token: request.params.token,
            grant: undefined,
          });
          if (hasWebApp) return await sendIndex(reply);
          const what = link.role === 'uploader' ? 'a drop box' : 'a shared item';
          return await reply
            .type('text/html; charset=utf-8')
            .send(
              page(
                link.label || 'Shared with you',
                `<p>This link opens ${what}${link.password_hash ? ', protected by a password' : ''}. ` +
                  `Open it in the My File web app.</p>`,
              ),
            );
        } catch (error) {
          if (!isAppError(error) || (error.statusCode !== 404 && error.statusCode !== 410))
            throw error;
          return reply
            .status(error.statusCode)
            .type('text/html; charset=utf-8')
            .send(
              page(
                error.statusCode === 410 ? 'This link has expired' : 'Link not found',
                `<p>${escapeHtml(error.message)} Ask whoever sent it for a new one.</p>`,
              ),
            );
        }
      },
    );
  };
