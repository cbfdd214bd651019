import { randomBytes } from 'node:crypto';
import type { App } from '../../app/server.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import type { AuthScope } from './auth.hooks.js';
import { signLink, type LinkClaims } from './links/signed-links.models.js';

export type SignedInUser = {
  userId: string;
  email: string;
  password: string;
  cookieHeader: string;
  csrfToken: string;
  /** cookie + x-csrf-token, ready for app.inject. */
  headers: Record<string, string>;
};

/** `name=value` pairs from a response's Set-Cookie headers, later ones winning. */
export const cookiesFrom = (
  setCookie: string | string[] | undefined,
  jar: Record<string, string> = {},
) => {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const next = new Map(Object.entries(jar));
  for (const line of lines) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name) continue;
    if (value === '' || /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) {
      next.delete(name);
    } else {
      next.set(name, value);
    }
  }
  return Object.fromEntries(next);
};

export const cookieHeaderOf = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

/** A random documentation-range address, so many sign-ups in one file stay under per-IP limits. */
export const randomTestIp = () => `198.18.${randomBytes(1)[0] ?? 0}.${randomBytes(1)[0] ?? 1}`;

/** A fresh CSRF token and the pre-session cookie it is bound to. */
export const getPreSessionCsrf = async (app: App, jar: Record<string, string> = {}) => {
  const response = await app.inject({
    method: 'GET',
    url: '/api/auth/csrf',
    headers: { cookie: cookieHeaderOf(jar) },
  });
  const { csrfToken } = response.json<{ csrfToken: string }>();
  return { csrfToken, jar: cookiesFrom(response.headers['set-cookie'], jar) };
};

/** Posts credentials to register or login from a fresh pre-session; the signed-in browser. */
const postCredentials = async (
  app: App,
  route: 'register' | 'login',
  { email, password }: { email: string; password: string },
): Promise<SignedInUser> => {
  const pre = await getPreSessionCsrf(app);
  const response = await app.inject({
    method: 'POST',
    url: `/api/auth/${route}`,
    remoteAddress: randomTestIp(),
    headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
    payload: { email, password },
  });
  if (response.statusCode !== (route === 'register' ? 201 : 200)) {
    throw new Error(`${route} failed: ${response.statusCode} ${response.body}`);
  }
  const body = response.json<{ user: { id: string }; csrfToken: string }>();
  const cookieHeader = cookieHeaderOf(cookiesFrom(response.headers['set-cookie'], pre.jar));
  return {
    userId: body.user.id,
    email,
    password,
    cookieHeader,
    csrfToken: body.csrfToken,
    headers: { cookie: cookieHeader, 'x-csrf-token': body.csrfToken },
  };
};

/**
 * Registers (mail off: verified at once) and signs in through the real routes.
 * Needs an app without MAIL_URL.
 */
export const signUpAndSignIn = (
  app: App,
  {
    email = `user-${randomBytes(6).toString('hex')}@example.com`,
    password = `correct horse ${randomBytes(6).toString('hex')}`,
  }: { email?: string; password?: string } = {},
): Promise<SignedInUser> => postCredentials(app, 'register', { email, password });

/** A second browser session for an existing account, through the real login route. */
export const signIn = (app: App, credentials: { email: string; password: string }) =>
  postCredentials(app, 'login', credentials);

/** A personal access token for `user`; returns the Bearer value to send. */
export const createPersonalToken = async (
  app: App,
  user: Pick<SignedInUser, 'headers'>,
  scopes: AuthScope[],
): Promise<string> => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/tokens',
    headers: user.headers,
    payload: { name: `test ${scopes.join('+')}`, scopes },
  });
  if (response.statusCode !== 201) {
    throw new Error(`token creation failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ token: string }>().token;
};

/** A link as the mail would carry it (fresh id, ten minutes to live), signed with `ring`. */
export const mailedLinkToken = (ring: KeyRing, claims: Omit<LinkClaims, 'jti' | 'exp'>) =>
  signLink(ring, {
    ...claims,
    jti: randomBytes(12).toString('hex'),
    exp: Math.floor(Date.now() / 1000) + 600,
  });
