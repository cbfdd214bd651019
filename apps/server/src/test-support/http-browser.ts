import { randomBytes } from 'node:crypto';
import { cookieHeaderOf, cookiesFrom } from '../modules/auth/auth.test-utils.js';

export type HttpAnswer = { status: number; headers: Headers; body: string; json(): unknown };

/**
 * One browser talking to real HTTP servers (several processes behind one load balancer): a
 * cookie jar, the CSRF token of its session, the app's Origin, and its own client address
 * (X-Forwarded-For, one hop the servers trust as they would the ALB's).
 */
export type HttpBrowser = {
  ip: string;
  cookieHeader(): string;
  request(
    baseUrl: string,
    method: string,
    path: string,
    body?: { json: unknown } | { raw: Buffer; contentType: string },
  ): Promise<HttpAnswer>;
  /** Fetches a pre-session CSRF token from `baseUrl`, then registers or signs in there. */
  signIn(
    baseUrl: string,
    route: 'register' | 'login',
    credentials: { email: string; password: string },
  ): Promise<HttpAnswer & { userId?: string }>;
  /** Registers a fresh account (a random address starting with `label`) and stays signed in. */
  registerFresh(
    baseUrl: string,
    label: string,
  ): Promise<{ email: string; password: string; userId: string }>;
};

export const createHttpBrowser = ({ origin, ip }: { origin: string; ip: string }): HttpBrowser => {
  let jar: Record<string, string> = {};
  let csrfToken = '';
  const request: HttpBrowser['request'] = async (baseUrl, method, path, body) => {
    const headers: Record<string, string> = {
      origin,
      'x-forwarded-for': ip,
      cookie: cookieHeaderOf(jar),
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    };
    let payload: string | Buffer | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = body.contentType;
      payload = body.raw;
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    jar = cookiesFrom(response.headers.getSetCookie(), jar);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text,
      json: () => JSON.parse(text) as unknown,
    };
  };
  const signIn: HttpBrowser['signIn'] = async (baseUrl, route, credentials) => {
    csrfToken = '';
    const pre = await request(baseUrl, 'GET', '/api/auth/csrf');
    csrfToken = (pre.json() as { csrfToken: string }).csrfToken;
    const answer = await request(baseUrl, 'POST', `/api/auth/${route}`, { json: credentials });
    if (answer.status >= 300) return answer;
    const signedIn = answer.json() as { user: { id: string }; csrfToken: string };
    csrfToken = signedIn.csrfToken;
    return { ...answer, userId: signedIn.user.id };
  };
  return {
    ip,
    cookieHeader: () => cookieHeaderOf(jar),
    request,
    signIn,
    registerFresh: async (baseUrl, label) => {
      const credentials = {
        email: `${label}-${randomBytes(6).toString('hex')}@example.com`,
        password: `correct horse ${randomBytes(6).toString('hex')}`,
      };
      const answer = await signIn(baseUrl, 'register', credentials);
      if (answer.status !== 201 || !answer.userId) {
        throw new Error(`registering ${credentials.email}: ${answer.status} ${answer.body}`);
      }
      return { ...credentials, userId: answer.userId };
    },
  };
};
