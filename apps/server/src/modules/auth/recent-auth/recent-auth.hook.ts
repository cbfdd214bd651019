import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuthDeps } from '../auth.deps.js';
import { requireSession } from '../auth.hooks.js';
import { requestOrigin } from '../auth.models.js';
import { assertRecentAuth } from './recent-auth.usecases.js';

const currentPasswordOf = (request: FastifyRequest) => {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || !('currentPassword' in body)) return undefined;
  return typeof body.currentPassword === 'string' ? body.currentPassword : undefined;
};

/**
 * preHandler, after `requireAuth`: a browser session that signed in within five minutes, or a
 * body field `currentPassword` holding the account's password (403 `reauth_required` without
 * it, 403 `invalid_credentials` when wrong, 429 after too many wrong ones). Tokens never pass.
 * The route's body schema should declare `currentPassword` as an optional string.
 */
export const requireRecentAuth =
  (deps: AuthDeps, { during }: { during: string }): preHandlerAsyncHookHandler =>
  async (request) => {
    const auth = requireSession(request);
    await assertRecentAuth({
      ...deps,
      userId: auth.userId,
      sessionId: auth.sessionId,
      currentPassword: currentPasswordOf(request),
      origin: requestOrigin(request),
      during,
    });
  };
