import type { AppContext } from '../../../app/app-context.js';
import type { FixtureUser } from '../../../test-support/fixtures.js';
import type { TestApp } from '../../../test-support/test-app.js';
import { createAuthDeps } from '../auth.deps.js';
import { createPersonalToken } from './personal-tokens.usecases.js';

/** A budget small enough to spend in a test. */
export const LIMIT = 3;

export const newToken = async (context: AppContext, user: FixtureUser) =>
  (
    await createPersonalToken({
      ...createAuthDeps(context),
      userId: user.userId,
      name: 'rate limit test',
      scopes: ['read'],
      expiresInDays: 1,
      origin: { ip: '198.18.0.1', userAgent: 'test' },
    })
  ).token;

export const usage = (app: TestApp, headers: Record<string, string>) =>
  app.app.inject({ method: 'GET', url: '/api/usage', headers });
