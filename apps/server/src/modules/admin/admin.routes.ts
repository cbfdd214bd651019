import {
  adminFailedJobsSchema,
  adminUserSchema,
  adminUsersPageSchema,
  instanceTotalsSchema,
  setQuotaSchema,
} from '@myfile/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findUserById } from '../auth/accounts/users.repository.js';
import { forbidden } from '../auth/auth.errors.js';
import { requireAuth, requireSession } from '../auth/auth.hooks.js';
import { requestOrigin } from '../auth/auth.models.js';
import { requireRecentAuth } from '../auth/recent-auth/recent-auth.hook.js';
import { okSchema } from '../auth/auth.schemas.js';
import { isAdministrator } from './admin.models.js';
import {
  forcePasswordReset,
  getInstanceTotals,
  listFailedJobsPage,
  listUsers,
  retryFailedJob,
  setUserDisabled,
  setUserQuota,
  type AdminDeps,
} from './admin.usecases.js';

const tags = ['admin'];
const userParams = z.object({ id: z.uuid() });

/**
 * Runs on every route of this plugin before the body is even validated, so no request of a
 * non-administrator gets further than 403 (a test walks the OpenAPI document to prove it).
 * Browser sessions only: a personal token never administers.
 */
const requireAdmin = (deps: AdminDeps) =>
  async function (this: FastifyRequest['server'], request: FastifyRequest, reply: FastifyReply) {
    await requireAuth('read').call(this, request, reply);
    const auth = requireSession(request);
    const user = await findUserById(deps.db, auth.userId);
    if (!user || !isAdministrator(user, deps.adminEmails)) {
      throw forbidden('Only an administrator may do this.');
    }
  };

const actingOf = (request: FastifyRequest) => {
  const auth = requireSession(request);
  return { adminId: auth.userId, sessionId: auth.sessionId, origin: requestOrigin(request) };
};

/**
 * Accounts, quotas and the job queue: everything but the files, which stay their owners'. Every
 * change asks for a recent sign-in (or the password again), like the account's own sensitive
 * actions: a forgotten open session must not be enough to lock people out.
 */
export const adminRoutes =
  (deps: AdminDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('onRequest', requireAdmin(deps));

    app.get(
      '/api/admin/users',
      {
        schema: {
          tags,
          summary: 'Accounts with their usage, by email; `q` finds part of an address',
          querystring: z.object({
            q: z.string().max(320).optional(),
            cursor: z.string().max(1000).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: adminUsersPageSchema },
        },
      },
      async (request) =>
        listUsers({
          ...deps,
          query: request.query.q,
          cursor: request.query.cursor,
          limit: request.query.limit,
        }),
    );

    app.put(
      '/api/admin/users/:id/quota',
      {
        preHandler: requireRecentAuth(deps, { during: 'admin_quota' }),
        schema: {
          tags,
          summary: "Set an account's quota; the next upload is held to it",
          params: userParams,
          body: setQuotaSchema,
          response: { 200: adminUserSchema },
        },
      },
      async (request) =>
        setUserQuota({
          ...deps,
          userId: request.params.id,
          quotaBytes: request.body.quotaBytes,
          acting: actingOf(request),
        }),
    );

    app.post(
      '/api/admin/users/:id/disable',
      {
        preHandler: requireRecentAuth(deps, { during: 'admin_disable' }),
        schema: {
          tags,
          summary: 'Disable an account: its sessions, tokens and sockets end now; no sign-in',
          params: userParams,
          response: { 200: adminUserSchema },
        },
      },
      async (request) =>
        setUserDisabled({
          ...deps,
          userId: request.params.id,
          disabled: true,
          acting: actingOf(request),
        }),
    );

    app.post(
      '/api/admin/users/:id/enable',
      {
        preHandler: requireRecentAuth(deps, { during: 'admin_enable' }),
        schema: {
          tags,
          summary: 'Enable a disabled account again',
          params: userParams,
          response: { 200: adminUserSchema },
        },
      },
      async (request) =>
        setUserDisabled({
          ...deps,
          userId: request.params.id,
          disabled: false,
          acting: actingOf(request),
        }),
    );

    app.post(
      '/api/admin/users/:id/password-reset',
      {
        preHandler: requireRecentAuth(deps, { during: 'admin_password_reset' }),
        schema: {
          tags,
          summary:
            'Force a password reset: the old password stops working, sessions end, a reset link is mailed',
          params: userParams,
          response: { 202: okSchema },
        },
      },
      async (request, reply) => {
        await forcePasswordReset({ ...deps, userId: request.params.id, acting: actingOf(request) });
        return reply.status(202).send({ status: 'ok' as const });
      },
    );

    app.get(
      '/api/admin/totals',
      {
        schema: {
          tags,
          summary: 'Instance totals: accounts, files, hot and cold bytes, jobs by state',
          response: { 200: instanceTotalsSchema },
        },
      },
      async () => getInstanceTotals(deps),
    );

    app.get(
      '/api/admin/jobs/failed',
      {
        schema: {
          tags,
          summary: 'Failed jobs, newest first (no payloads or error texts: they may name files)',
          querystring: z.object({
            before: z.uuid().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: adminFailedJobsSchema },
        },
      },
      async (request) => listFailedJobsPage({ ...deps, ...request.query }),
    );

    app.post(
      '/api/admin/jobs/:id/retry',
      {
        preHandler: requireRecentAuth(deps, { during: 'admin_job_retry' }),
        schema: {
          tags,
          summary: 'Run a failed job again from its first attempt',
          params: z.object({ id: z.uuid() }),
          response: { 202: okSchema },
        },
      },
      async (request, reply) => {
        await retryFailedJob({ ...deps, jobId: request.params.id, acting: actingOf(request) });
        return reply.status(202).send({ status: 'ok' as const });
      },
    );
  };
