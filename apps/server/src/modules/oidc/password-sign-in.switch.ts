import type { FastifyInstance } from 'fastify';
import { passwordSignInDisabled } from './oidc.errors.js';

/** What PASSWORD_SIGNIN=false turns off: every way to get a session from a password. */
const PASSWORD_ROUTES = new Set([
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/password/forgot',
  '/api/auth/password/reset',
]);

/** Root-level, so the auth routes themselves stay unaware of it. */
export const registerPasswordSignInSwitch = (app: FastifyInstance, passwordSignIn: boolean) => {
  if (passwordSignIn) return;
  app.addHook('onRequest', async (request) => {
    if (request.method === 'POST' && PASSWORD_ROUTES.has(request.routeOptions.url ?? '')) {
      throw passwordSignInDisabled();
    }
  });
};
