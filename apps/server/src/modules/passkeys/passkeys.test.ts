import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { cookieHeaderOf, getPreSessionCsrf } from '../auth/auth.test-utils.js';
import { relyingPartyOf } from './passkeys.models.js';
import { createSoftAuthenticator } from './passkeys.test-utils.js';

type Ceremony = { options: { challenge: string }; challengeToken: string };
type Authenticator = ReturnType<typeof createSoftAuthenticator>;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload, headers });

/** A signed-out browser's post: with the pre-session CSRF token it fetched first. */
const postSignedOut = async (url: string, payload: object) => {
  const pre = await getPreSessionCsrf(t.app);
  return post(url, payload, { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken });
};

const newAuthenticator = () => createSoftAuthenticator(relyingPartyOf(t.context.config.PUBLIC_URL));

/** A user with one passkey on `authenticator`, registered through the routes. */
const userWithPasskey = async (authenticator: Authenticator) => {
  const user = await fixturesOf(t.context).newUser();
  const start = await post('/api/auth/passkeys/register/options', {}, user.headers);
  const { options, challengeToken } = start.json<Ceremony>();
  const added = await post(
    '/api/auth/passkeys',
    { challengeToken, response: authenticator.register(options), name: 'Soft key' },
    user.headers,
  );
  expect(added.statusCode).toBe(201);
  return user;
};

const signInOptions = async (body: object = {}) =>
  (await postSignedOut('/api/auth/login/passkey/options', body)).json<Ceremony>();

const failuresOf = (user: FixtureUser) =>
  t.context.database.db
    .selectFrom('security_events')
    .select('type')
    .where('user_id', '=', user.userId)
    .where('type', '=', 'passkey_failed')
    .execute();

describe('passkey assertions', () => {
  test('the control: an assertion over the challenge it was given signs in', async () => {
    const authenticator = newAuthenticator();
    const user = await userWithPasskey(authenticator);
    const { options, challengeToken } = await signInOptions();
    const response = await postSignedOut('/api/auth/login/passkey', {
      challengeToken,
      response: authenticator.assert(options),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { id: user.userId } });
  });

  test('a signature over another challenge than the token’s is refused and recorded', async () => {
    const authenticator = newAuthenticator();
    const user = await userWithPasskey(authenticator);
    const { challengeToken } = await signInOptions();
    const other = await signInOptions();
    const response = await postSignedOut('/api/auth/login/passkey', {
      challengeToken,
      response: authenticator.assert(other.options),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect(await failuresOf(user)).toHaveLength(1);
  });

  test('a challenge is answered once: replaying it, even with a fresh signature, is refused', async () => {
    const authenticator = newAuthenticator();
    await userWithPasskey(authenticator);
    const { options, challengeToken } = await signInOptions();
    const first = await postSignedOut('/api/auth/login/passkey', {
      challengeToken,
      response: authenticator.assert(options),
    });
    expect(first.statusCode).toBe(200);
    const replay = await postSignedOut('/api/auth/login/passkey', {
      challengeToken,
      response: authenticator.assert(options),
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({
      error: { code: 'invalid_request', field: 'challengeToken' },
    });
  });

  test('another account’s registered passkey does not reauthenticate this one; its own does', async () => {
    const mine = newAuthenticator();
    const theirs = newAuthenticator();
    const me = await userWithPasskey(mine);
    await userWithPasskey(theirs);
    // My reauthentication challenge, answered with their (valid, registered) passkey.
    const reauth = (
      await post('/api/auth/passkeys/reauth/options', {}, me.headers)
    ).json<Ceremony>();
    const refused = await post(
      '/api/auth/reauth',
      {
        method: 'passkey',
        challengeToken: reauth.challengeToken,
        response: theirs.assert(reauth.options),
      },
      me.headers,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
    const again = (
      await post('/api/auth/passkeys/reauth/options', {}, me.headers)
    ).json<Ceremony>();
    const accepted = await post(
      '/api/auth/reauth',
      {
        method: 'passkey',
        challengeToken: again.challengeToken,
        response: mine.assert(again.options),
      },
      me.headers,
    );
    expect(accepted.statusCode).toBe(200);
  });
});
