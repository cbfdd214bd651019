import multipart from '@fastify/multipart';
import { childrenPageSchema, linkVisitSchema } from '@myfile/contract';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import type { Db } from '../../db/database.js';
import { readCookie } from '../auth/auth.cookies.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { issueCsrfToken } from '../auth/csrf/csrf.models.js';
import { sendFolderZip } from '../downloads/downloads.reply.js';
import { sendFileContent } from '../files/files.content-reply.js';
import { openFileContent } from '../files/files.usecases.js';
import { childSorts } from '../folders/folders.models.js';
import { listFolderChildren } from '../folders/folders.usecases.js';
import { limitSchema } from '../nodes/nodes.schemas.js';
import { getFolderOrThrow, type FilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFilesTogether } from '../uploads/uploads.usecases.js';
import { checkLinkCsrf } from './links.csrf.js';
import { grantCsrfBindingId, LINK_GRANT_SECONDS, toVisitorNodeDto } from './links.models.js';
import {
  countLinkDownload,
  linkActorOf,
  openLink,
  recordVisit,
  unlockLink,
  type LinkVisit,
} from './links.usecases.js';

export type LinkDeps = { db: Db; publicUrl: string; files: FilesDeps; auth: AuthDeps };

const tags = ['share links'];
const tokenParams = z.object({ token: z.string().max(128) });
const nodeParams = tokenParams.extend({ id: z.string().max(64) });

/** Per address, before the per-link and per-address counters of wrong passwords. */
const UNLOCK_PER_IP = { max: 30, timeWindow: 60_000 } as const;

/**
 * What a visitor holding a link can do, with no account: see what the link is, unlock it with
 * its password, browse and download (viewer), or upload (uploader, a drop box). Every route
 * resolves the token afresh and acts as the link's actor through the one authorization rule, so
 * a link never reaches outside its subtree and a revocation counts on the next request.
 */
export const linkVisitorRoutes =
  (deps: LinkDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db, files, auth } = deps;
    await app.register(multipart, {
      limits: { fileSize: files.settings.maxUploadBytes + 1, files: 1000, fields: 100 },
      preservePath: true,
    });
    // A grant is kept by the browser for this link's API paths only, and never sent cross-site.
    const grantCookie = `${auth.cookies.secure ? '__Secure-' : ''}mf_link`;
    const grantOf = (request: FastifyRequest) => readCookie(request, grantCookie);

    app.addHook('preHandler', async (request) => {
      await checkLinkCsrf({ ...auth, request, grantCookie });
    });

    const visit = (request: FastifyRequest, { token }: { token: string }) =>
      openLink({ db, ring: auth.ring(), token, grant: grantOf(request) });

    const csrfFor = (request: FastifyRequest) => {
      const grant = grantOf(request);
      return grant
        ? issueCsrfToken(auth.ring(), { kind: 'l', id: grantCsrfBindingId(grant) })
        : null;
    };

    app.get(
      '/api/s/:token',
      {
        schema: {
          tags,
          summary:
            'What a share link opens (counted as an access): its role, whether a password is needed, and the item once unlocked',
          params: tokenParams,
          response: { 200: linkVisitSchema },
        },
      },
      async (request) => {
        const opened = await visit(request, request.params);
        await recordVisit(db, opened);
        const node = opened.unlocked
          ? await db
              .selectFrom('nodes')
              .selectAll()
              .where('id', '=', opened.link.node_id)
              .executeTakeFirstOrThrow()
          : null;
        return {
          role: opened.link.role,
          label: opened.link.label,
          requiresPassword: opened.link.password_hash !== null,
          unlocked: opened.unlocked,
          expiresAt: opened.link.expires_at?.toISOString() ?? null,
          node: node ? toVisitorNodeDto(node, opened.link.node_id) : null,
          csrfToken: csrfFor(request),
        };
      },
    );

    app.post(
      '/api/s/:token/unlock',
      {
        config: { rateLimit: UNLOCK_PER_IP },
        schema: {
          tags,
          summary:
            "Unlock a password-protected link: sets a short-lived cookie for this link's paths only and answers the CSRF token to send with it",
          params: tokenParams,
          body: z.object({ password: z.string().min(1).max(1024) }),
          response: {
            200: z.object({ csrfToken: z.string(), expiresAt: z.string() }),
          },
        },
      },
      async (request, reply) => {
        const { grant } = await unlockLink({
          db,
          ring: auth.ring(),
          counters: auth.counters,
          token: request.params.token,
          password: request.body.password,
          ip: request.ip,
        });
        reply.setCookie(grantCookie, grant.value, {
          httpOnly: true,
          secure: auth.cookies.secure,
          sameSite: 'strict',
          path: `/api/s/${request.params.token}`,
          maxAge: Math.min(LINK_GRANT_SECONDS, grant.expires - Math.floor(Date.now() / 1000)),
        });
        return {
          csrfToken: issueCsrfToken(auth.ring(), {
            kind: 'l',
            id: grantCsrfBindingId(grant.value),
          }),
          expiresAt: new Date(grant.expires * 1000).toISOString(),
        };
      },
    );

    app.get(
      '/api/s/:token/folders/:id/children',
      {
        schema: {
          tags,
          summary: 'One page of a folder inside a viewer link, folders first',
          params: nodeParams,
          querystring: z.object({
            cursor: z.string().max(4096).optional(),
            limit: limitSchema.default(100),
            sort: z.enum(childSorts).default('name'),
            order: z.enum(['asc', 'desc']).default('asc'),
          }),
          response: {
            200: childrenPageSchema,
          },
        },
      },
      async (request) => {
        const opened = await visit(request, request.params);
        const { items, nextCursor } = await listFolderChildren({
          ...files,
          actor: linkActorOf(opened),
          folderId: request.params.id,
          ...request.query,
        });
        return {
          items: items.map((item) => toVisitorNodeDto(item, opened.link.node_id)),
          nextCursor,
        };
      },
    );

    app.get(
      '/api/s/:token/files/:id/content',
      {
        schema: {
          tags,
          summary:
            'Download a file inside a viewer link (Range, ETag; attachment unless a safe type is asked inline); counts toward the download limit',
          params: nodeParams,
          querystring: z.object({ inline: z.enum(['0', '1', 'true', 'false']).optional() }),
        },
      },
      async (request, reply) => {
        const opened = await visit(request, request.params);
        const headers = request.headers;
        const content = await openFileContent({
          ...files,
          actor: linkActorOf(opened),
          id: request.params.id,
          range: headers.range,
          ifNoneMatch: headers['if-none-match'],
          ifRange: typeof headers['if-range'] === 'string' ? headers['if-range'] : undefined,
        });
        if (content.status === 200) await countOrClose(db, opened, content.body);
        return sendFileContent(reply, content, { inline: request.query.inline });
      },
    );

    app.get(
      '/api/s/:token/folders/:id/zip',
      {
        schema: {
          tags,
          summary:
            'Download a folder inside a viewer link as a streamed zip; counts toward the download limit',
          params: nodeParams,
        },
      },
      async (request, reply) => {
        const opened = await visit(request, request.params);
        const actor = linkActorOf(opened);
        // Authorized before anything is counted or streamed.
        await getFolderOrThrow({ ...files, actor, id: request.params.id, action: 'read' });
        await countLinkDownload(db, opened);
        return sendFolderZip(reply, { deps: files, actor, id: request.params.id });
      },
    );

    app.post(
      '/api/s/:token/folders/:id/files',
      {
        schema: {
          tags,
          summary:
            "Upload into a drop box link's folder (multipart/form-data); renamed on conflict, charged to the owner's quota. The answer names how many arrived, not what the folder holds.",
          consumes: ['multipart/form-data'],
          params: nodeParams,
          response: {
            201: z.object({ uploaded: z.number() }),
          },
        },
      },
      async (request, reply) => {
        const opened = await visit(request, request.params);
        const actor = linkActorOf(opened);
        if (!request.isMultipart()) throw invalidRequest('Send multipart/form-data.', 'body');
        // All or nothing, as for the owner's own uploads.
        const stored = await uploadFilesTogether({
          ...files,
          actor,
          folderId: request.params.id,
          onConflict: 'rename',
          parts: request.files(),
        });
        const uploaded = stored.length;
        return reply.status(201).send({ uploaded });
      },
    );
  };

/** A full download is counted; at the limit the opened blob is closed again and 410 answered. */
const countOrClose = async (db: Db, opened: LinkVisit, body: Readable) => {
  try {
    await countLinkDownload(db, opened);
  } catch (error) {
    body.destroy();
    throw error;
  }
};
