import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import {
  createPersonalToken,
  signUpAndSignIn,
  type SignedInUser,
} from '../auth/auth.test-utils.js';
import type { AuthScope } from '../auth/auth.hooks.js';

export type DavUser = SignedInUser & { token: string; authorization: string };

/** A user with an app password, and the Basic header a WebDAV client would send. */
export const createDavUser = async (
  testApp: TestApp,
  scopes: AuthScope[] = ['read', 'write'],
): Promise<DavUser> => {
  const user = await signUpAndSignIn(testApp.app);
  const token = await createPersonalToken(testApp.app, user, scopes);
  return {
    ...user,
    token,
    authorization: `Basic ${Buffer.from(`${user.email}:${token}`).toString('base64')}`,
  };
};

export type DavServer = TestApp & { origin: string };

/** The real server listening on a loopback port, for real HTTP clients. */
export const startDavServer = async (
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<DavServer> => {
  const testApp = await createTestApp(options);
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...testApp, origin: address };
};

/** fetch against the server with the user's credentials. */
export const davFetch =
  (server: DavServer, user: Pick<DavUser, 'authorization'>) =>
  (path: string, { headers = {}, ...init }: DavRequestInit = {}) =>
    fetch(`${server.origin}${path}`, {
      ...init,
      headers: { authorization: user.authorization, ...headers },
    });

type DavRequestInit = Omit<RequestInit, 'headers'> & {
  headers?: Record<string, string>;
  duplex?: 'half';
};
