import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userActor } from '../access/access.models.js';
import { clearSessionCookies } from '../auth/auth.cookies.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { requireAuth, requireSession } from '../auth/auth.hooks.js';
import { requestOrigin } from '../auth/auth.models.js';
import { linkTokenSchema, okSchema } from '../auth/auth.schemas.js';
import { PER_IP } from '../auth/limits/auth.limits.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { sendFolderZip } from '../downloads/downloads.reply.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { confirmEmailChange, deleteAccount, requestEmailChange } from './account.usecases.js';

const tags = ['account'];
const currentPassword = z.string().min(1).max(1024).optional();

/** The account itself: its address, its deletion, and all its files in one download. */
export const accountRoutes =
  ({ auth, files }: { auth: AuthDeps; files: FilesDeps }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/account/email',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(auth, { during: 'email_change' })],
        // Each request mails someone: bounded per address like the other mailing routes.
        config: { rateLimit: { max: 30, timeWindow: 3_600_000 } },
        schema: {
          tags,
          summary:
            'Change my address: a link goes to the new one (the address changes when it is opened), a notice to the old one',
          body: z.object({ newEmail: z.email().max(320), currentPassword }),
          response: { 202: okSchema },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        await requestEmailChange({
          ...auth,
          userId: session.userId,
          sessionId: session.sessionId,
          newEmail: request.body.newEmail,
          origin: requestOrigin(request),
        });
        return reply.status(202).send({ status: 'ok' as const });
      },
    );

    app.post(
      '/api/account/email/confirm',
      {
        config: { rateLimit: PER_IP.verify },
        schema: {
          tags,
          summary: 'Make the new address mine with the link mailed to it (once, within 24 hours)',
          body: linkTokenSchema,
          response: { 200: okSchema },
        },
      },
      async (request) => {
        await confirmEmailChange({
          ...auth,
          token: request.body.token,
          origin: requestOrigin(request),
        });
        return { status: 'ok' as const };
      },
    );

    app.post(
      '/api/account/delete',
      {
        preHandler: [requireAuth('write'), requireRecentAuth(auth, { during: 'account_delete' })],
        schema: {
          tags,
          summary:
            'Delete my account: signed out everywhere and the address freed now; files, versions and blobs removed by a job',
          body: z.object({ currentPassword }),
          response: { 202: okSchema },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        await deleteAccount({
          ...auth,
          userId: session.userId,
          sessionId: session.sessionId,
          origin: requestOrigin(request),
        });
        clearSessionCookies(reply, auth.cookies);
        return reply.status(202).send({ status: 'ok' as const });
      },
    );

    app.get(
      '/api/account/export',
      {
        preHandler: requireAuth('read'),
        schema: {
          tags,
          summary:
            'All my files as one zip, streamed (files in cold storage are listed in a note instead)',
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        return sendFolderZip(reply, { deps: files, actor: userActor(session.userId), id: 'root' });
      },
    );
  };
