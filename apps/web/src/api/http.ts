import { networkError, toApiError } from './api-error.js';

/**
 * The CSRF token for this browser's session. Tokens themselves live in HttpOnly cookies;
 * this one only proves a request comes from our own page.
 */
let csrfToken: string | undefined;
let csrfRequest: Promise<string> | undefined;

export const setCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};

export const getCsrfToken = async (): Promise<string> => {
  if (csrfToken) return csrfToken;
  csrfRequest ??= fetch('/api/auth/csrf', { credentials: 'same-origin' })
    .then(async (response) => {
      if (!response.ok) throw await toApiError(response);
      const body = (await response.json()) as { csrfToken: string };
      csrfToken = body.csrfToken;
      return body.csrfToken;
    })
    .finally(() => {
      csrfRequest = undefined;
    });
  return csrfRequest;
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_REFRESH = new Set([
  '/api/auth/login',
  '/api/auth/login/second-factor',
  '/api/auth/login/passkey',
  '/api/auth/register',
  '/api/auth/refresh',
]);

let refreshing: Promise<boolean> | undefined;

/** Rotates the refresh cookie once for every caller that met an expired access token. */
export const refreshSession = async (): Promise<boolean> => {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/auth/refresh', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-CSRF-Token': await getCsrfToken() },
      });
      if (!response.ok) return false;
      const body = (await response.json()) as { csrfToken: string };
      csrfToken = body.csrfToken;
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
};

type Options = {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

declare global {
  interface Window {
    /** Requests index.html's inline script started before the app loaded, by path. */
    myfileBoot?: Record<string, Promise<Response> | undefined>;
  }
}

const BOOT_ANSWERS_FRESH_MS = 30_000;

/**
 * The answer index.html already asked for, taken once. Only a success is used: anything else
 * is asked again, so refreshing an expired session and reporting errors stay in one place.
 */
const takeBootAnswer = async (path: string): Promise<Response | undefined> => {
  const started = window.myfileBoot?.[path];
  if (!started) return undefined;
  delete window.myfileBoot?.[path];
  // One the first page never used (another sort chosen since) would be stale by now.
  if (performance.now() > BOOT_ANSWERS_FRESH_MS) return undefined;
  const response = await started.catch(() => undefined);
  return response?.ok ? response : undefined;
};

const send = async (path: string, options: Options) => {
  const method = options.method ?? 'GET';
  if (method === 'GET' && !options.headers && !options.signal) {
    const early = await takeBootAnswer(path);
    if (early) return early;
  }
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) headers['X-CSRF-Token'] = await getCsrfToken();
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
};

/** The error code of a JSON error answer, read from a copy so the caller can still read it. */
const errorCodeOf = async (response: Response): Promise<string | undefined> => {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code;
};

/**
 * Only an expired or missing session is worth a refresh: a 401 for a wrong password
 * (`invalid_credentials`) must not be sent twice, which would count two failed attempts.
 */
const sessionExpired = async (response: Response) => {
  if (response.status !== 401) return false;
  const code = await errorCodeOf(response);
  return code === undefined || code === 'unauthenticated';
};

/** Sends a request, refreshing the session or the CSRF token once when the server asks. */
export const apiFetch = async (path: string, options: Options = {}): Promise<Response> => {
  let response = await send(path, options);
  if (!NO_REFRESH.has(path) && (await sessionExpired(response)) && (await refreshSession())) {
    response = await send(path, options);
  }
  if (response.status === 403 && UNSAFE.has(options.method ?? 'GET')) {
    if ((await errorCodeOf(response)) === 'csrf_invalid') {
      csrfToken = undefined;
      response = await send(path, options);
    }
  }
  return response;
};

/** JSON in, JSON out; a non-2xx answer throws an ApiError with the server's sentence. */
export const api = async <T>(path: string, options: Options = {}): Promise<T> => {
  const response = await apiFetch(path, options);
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
};

/**
 * A navigation (a download, a file opened in a new tab) carries only the cookies, and the
 * browser drops the access cookie once it lapses: ask through fetch first, which refreshes it.
 */
export const ensureSession = async () => {
  await apiFetch('/api/auth/me').catch(() => undefined);
};
