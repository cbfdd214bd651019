import type { App } from '../../app/server.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  getPreSessionCsrf,
  randomTestIp,
  type SignedInUser,
} from '../auth/auth.test-utils.js';
import { totpCodeAt } from './totp.models.js';

/** A code the authenticator shows `stepsAhead` 30-second steps from now (drift of one allowed). */
export const codeFor = (secret: string, stepsAhead = 0) =>
  totpCodeAt({ secret, timestamp: Date.now() + stepsAhead * 30_000 });

/** Turns TOTP on for a freshly signed-in user through the real routes. */
export const enableTotp = async (app: App, user: SignedInUser) => {
  const enrol = await app.inject({
    method: 'POST',
    url: '/api/auth/2fa/totp/enrol',
    headers: user.headers,
    payload: {},
  });
  if (enrol.statusCode !== 200) throw new Error(`enrol failed: ${enrol.statusCode} ${enrol.body}`);
  const { secret } = enrol.json<{ secret: string }>();
  const confirm = await app.inject({
    method: 'POST',
    url: '/api/auth/2fa/totp/confirm',
    headers: user.headers,
    payload: { code: codeFor(secret) },
  });
  if (confirm.statusCode !== 200) {
    throw new Error(`confirm failed: ${confirm.statusCode} ${confirm.body}`);
  }
  return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
};

/** POSTs from a fresh pre-session (CSRF token and cookie), as a signed-out browser does. */
export const postSignedOut = async (app: App, url: string, payload: object) => {
  const pre = await getPreSessionCsrf(app);
  const response = await app.inject({
    method: 'POST',
    url,
    remoteAddress: randomTestIp(),
    headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
    payload,
  });
  return { response, jar: cookiesFrom(response.headers['set-cookie'], pre.jar) };
};
