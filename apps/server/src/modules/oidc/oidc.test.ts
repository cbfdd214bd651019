import net from 'node:net';
import { sql } from 'kysely';
import * as client from 'openid-client';
import type { ClientMetadata } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { fixturesOf } from '../../test-support/fixtures.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  getPreSessionCsrf,
  randomTestIp,
} from '../auth/auth.test-utils.js';
import { createAuthDeps } from '../auth/auth.deps.js';
import { hardenClient } from './oidc.client.js';
import { createOidcDeps, type OidcDeps } from './oidc.deps.js';
import { beginOidcFlow, completeOidcFlow } from './oidc.usecases.js';
import { insertIdentity } from './oidc.repository.js';
import { insertPasskey } from '../passkeys/passkeys.repository.js';
import { ensureAnotherWayToSignIn } from '../auth/accounts/sign-in-ways.usecases.js';
import { RECENT_AUTH_SECONDS } from '../auth/recent-auth/recent-auth.usecases.js';
import { startTestProvider, type TestProvider } from '../../test-support/oidc-provider.js';

const PUBLIC_URL = 'http://localhost:3996';
const CALLBACK = `${PUBLIC_URL}/api/auth/oidc/test/callback`;
const SECRET = 'myfile-test-secret';
const client0: ClientMetadata = {
  client_id: 'myfile',
  client_secret: SECRET,
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code'],
  response_types: ['code'],
};
const taken = 'taken@example.test';

let provider: TestProvider;
let other: TestProvider;
let t: TestApp;

const envFor = (issuer: string, extra: Record<string, string> = {}) => ({
  PUBLIC_URL,
  OIDC_PROVIDERS: 'test',
  OIDC_TEST_ISSUER: issuer,
  OIDC_TEST_CLIENT_ID: 'myfile',
  OIDC_TEST_CLIENT_SECRET: SECRET,
  OIDC_TEST_LABEL: 'Test IdP',
  OIDC_ALLOW_SIGNUP: 'true',
  ...extra,
});

const accounts = {
  alice: { email: 'alice@example.test', email_verified: true, name: 'Alice' },
  mallory: { email: taken, email_verified: false },
  claimer: { email: taken, email_verified: true },
  unconfirmed: { email: 'nobody-has-this@example.test', email_verified: false },
  unlinker: { email: 'unlinker@example.test', email_verified: true },
  slowpoke: { email: 'slowpoke@example.test', email_verified: true },
};

beforeAll(async () => {
  provider = await startTestProvider({ clients: [client0], accounts });
  // A second, independent provider that knows the same client: a mix-up's other side.
  other = await startTestProvider({ clients: [client0], accounts });
  t = await createTestApp({ env: envFor(provider.issuer) });
  await fixturesOf(t.context).newUser({ email: taken });
}, 30_000);

afterAll(async () => {
  await t.close();
  await provider.close();
  await other.close();
});

const countRows = async (table: 'oidc_identities' | 'sessions') =>
  Number(
    (
      await t.context.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/**
 * The browser's walk through `app`: our start route, the provider's login as `account`; the
 * flow cookie and the callback URL the provider sent the browser to.
 */
const walkToCallback = async ({
  app = t,
  account = 'alice',
  via = provider,
}: { app?: TestApp; account?: string; via?: TestProvider } = {}) => {
  const ip = randomTestIp();
  const start = await app.app.inject({
    method: 'GET',
    url: '/api/auth/oidc/test/start?next=/folders/x',
    remoteAddress: ip,
  });
  expect(start.statusCode).toBe(302);
  const jar = cookiesFrom(start.headers['set-cookie']);
  const callback = await via.signIn(String(start.headers.location), account);
  return { jar, callback, ip };
};

const callBack = (
  callback: URL,
  jar: Record<string, string>,
  { app = t, ip = randomTestIp() }: { app?: TestApp; ip?: string } = {},
) =>
  app.app.inject({
    method: 'GET',
    url: `${callback.pathname}${callback.search}`,
    remoteAddress: ip,
    headers: { cookie: cookieHeaderOf(jar) },
  });

const signInThroughProvider = (account: string, via: TestProvider = provider) =>
  walkToCallback({ account, via });

/** A browser signed in through the provider as `account`: its cookie and CSRF headers. */
const browserSignedInAs = async (account: string) => {
  const { jar, callback } = await signInThroughProvider(account);
  const response = await callBack(callback, jar);
  expect(response.statusCode).toBe(302);
  const cookie = cookieHeaderOf(cookiesFrom(response.headers['set-cookie'], jar));
  const csrf = await t.app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie } });
  const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  return {
    userId: me.json<{ id: string }>().id,
    headers: { cookie, 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
  };
};

describe('OpenID Connect sign-in against a real provider', () => {
  test('happy path: code + PKCE + state + nonce end in our usual session, and the account is created once', async () => {
    const { jar, callback } = await signInThroughProvider('alice');
    expect(callback.searchParams.get('code')).toBeTruthy();
    const response = await callBack(callback, jar);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/folders/x');
    const cookies = cookiesFrom(response.headers['set-cookie'], jar);
    expect(cookies.mf_access).toBeTruthy();
    expect(cookies.mf_refresh).toBeTruthy();
    expect(cookies.mf_oidc).toBeUndefined();

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookieHeaderOf(cookies) },
    });
    expect(me.json()).toMatchObject({ email: 'alice@example.test', emailVerified: true });
    // The refresh cookie rotates like a password session's, and the CSRF token comes with it.
    const csrf = await t.app.inject({
      method: 'GET',
      url: '/api/auth/csrf',
      headers: { cookie: cookieHeaderOf(cookies) },
    });
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: {
        cookie: cookieHeaderOf(cookies),
        origin: PUBLIC_URL,
        'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken,
      },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json<{ csrfToken: string }>().csrfToken).toBeTruthy();

    const events = await t.app.inject({
      method: 'GET',
      url: '/api/auth/events',
      headers: { cookie: cookieHeaderOf(cookies) },
    });
    const types = events.json<{ events: { type: string; details: object }[] }>().events;
    expect(types).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'sign_in', details: { via: 'sso', provider: 'test' } }),
        expect.objectContaining({ type: 'sso_linked' }),
      ]),
    );

    // A second sign-in finds the same account by (issuer, sub).
    const again = await signInThroughProvider('alice');
    const second = await callBack(again.callback, again.jar);
    expect(second.statusCode).toBe(302);
    const identities = await t.context.database.db
      .selectFrom('oidc_identities')
      .selectAll()
      .where('subject', '=', 'alice')
      .execute();
    expect(identities).toHaveLength(1);
    expect(identities[0]?.issuer).toBe(provider.issuer);
  });

  test('a wrong state is refused with a page, and nothing is signed in', async () => {
    const { jar, callback } = await signInThroughProvider('alice');
    const sessions = await countRows('sessions');
    callback.searchParams.set('state', 'not-the-state-we-sent');
    const response = await callBack(callback, jar);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('data-error-code="sso_failed"');
    expect(cookiesFrom(response.headers['set-cookie']).mf_access).toBeUndefined();
    expect(await countRows('sessions')).toBe(sessions);
  });

  test('a callback without the flow cookie (another browser, login CSRF) is refused', async () => {
    const { callback } = await signInThroughProvider('alice');
    const response = await callBack(callback, {});
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('started in another browser');
  });

  test('a replayed code is refused by the provider and signs nobody in', async () => {
    const { jar, callback } = await signInThroughProvider('alice');
    expect((await callBack(callback, jar)).statusCode).toBe(302);
    const sessions = await countRows('sessions');
    // The same browser state, the same code: only the code's single use stops it.
    const replay = await callBack(callback, jar);
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('data-error-code="sso_failed"');
    expect(await countRows('sessions')).toBe(sessions);
  });

  test('an unverified email never links to the account that has it (nor does a verified one), nor signs up', async () => {
    const identities = await countRows('oidc_identities');
    for (const account of ['mallory', 'claimer', 'unconfirmed']) {
      const { jar, callback } = await signInThroughProvider(account);
      const response = await callBack(callback, jar);
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('data-error-code="sso_not_linked"');
      expect(cookiesFrom(response.headers['set-cookie']).mf_access).toBeUndefined();
    }
    expect(await countRows('oidc_identities')).toBe(identities);
    const owner = await t.context.database.db
      .selectFrom('users')
      .innerJoin('sessions', 'sessions.user_id', 'users.id')
      .select('sessions.id')
      .where('users.email', '=', taken)
      .execute();
    // Only the session of its own sign-up.
    expect(owner).toHaveLength(1);
  });

  test('OIDC_ALLOW_SIGNUP=false: no account is created; PASSWORD_SIGNIN=false: password routes refuse', async () => {
    const closed = await createTestApp({
      env: envFor(provider.issuer, { OIDC_ALLOW_SIGNUP: 'false', PASSWORD_SIGNIN: 'false' }),
    });
    try {
      for (const url of ['/api/auth/login', '/api/auth/register', '/api/auth/password/forgot']) {
        const pre = await getPreSessionCsrf(closed.app);
        const refused = await closed.app.inject({
          method: 'POST',
          url,
          headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
          payload: { email: taken, password: 'whatever it is' },
        });
        expect(refused.statusCode).toBe(403);
        expect(refused.json()).toMatchObject({ error: { code: 'password_sign_in_disabled' } });
      }
      const methods = await closed.app.inject({ method: 'GET', url: '/api/auth/oidc/providers' });
      expect(methods.json()).toMatchObject({ passwordSignIn: false });

      const { jar, callback } = await walkToCallback({ app: closed });
      const response = await callBack(callback, jar, { app: closed });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('No My File account is linked');
    } finally {
      await closed.close();
    }
  });
});

/** The refusal and every cause under it, to see which check refused. */
const refusalOf = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => {
      throw new Error('the sign-in was not refused');
    },
    (reason: unknown) => reason,
  );
  const chain: unknown[] = [];
  for (let link = error; typeof link === 'object' && link !== null;) {
    chain.push(link);
    link = 'cause' in link ? link.cause : undefined;
  }
  return chain;
};

const refusedBy = (chain: unknown[], ...checks: Record<string, unknown>[]) => {
  expect(chain[0]).toMatchObject({ code: 'sso_failed', statusCode: 400 });
  for (const check of checks) expect(chain).toContainEqual(expect.objectContaining(check));
};

describe('ID token checks, on tokens the real provider issued', () => {
  const providerConfig = () => {
    const found = t.context.config.OIDC[0];
    if (!found) throw new Error('no provider configured');
    return found;
  };

  /** Our deps, with the client's configuration replaced by `configure`'s. */
  const depsWith = (configure: () => Promise<client.Configuration>): OidcDeps => ({
    ...createOidcDeps(t.context, createAuthDeps(t.context)),
    clients: { configurationOf: configure },
  });

  const discover = async (issuer: string, metadata: Partial<client.ClientMetadata> = {}) => {
    const configuration = await client.discovery(
      new URL(issuer),
      'myfile',
      metadata,
      client.ClientSecretBasic(SECRET),
      {
        execute: [client.allowInsecureRequests],
      },
    );
    return hardenClient(configuration);
  };

  /** The endpoints of a discovered provider, as plain metadata to build a doctored client from. */
  const endpointsOf = (configuration: client.Configuration): client.ServerMetadata => {
    const { issuer, authorization_endpoint, token_endpoint, jwks_uri } =
      configuration.serverMetadata();
    return { issuer, authorization_endpoint, token_endpoint, jwks_uri };
  };

  /**
   * One sign-in through our use cases: begin, the provider's login as alice, complete. The
   * authorization URL and the callback can be doctored on the way.
   */
  const runFlow = async (
    deps: OidcDeps,
    {
      via = provider,
      doctorAuthorization = () => undefined,
      doctorCallback = () => undefined,
    }: {
      via?: TestProvider;
      doctorAuthorization?: (url: URL) => void;
      doctorCallback?: (callback: URL) => void;
    } = {},
  ) => {
    const { url, sealedFlow } = await beginOidcFlow({
      ...deps,
      providerId: 'test',
      mode: 'sign_in',
      userId: null,
      next: '/',
    });
    const authorization = new URL(url);
    doctorAuthorization(authorization);
    const callback = await via.signIn(authorization.href, 'alice');
    doctorCallback(callback);
    return completeOidcFlow({
      ...deps,
      providerId: 'test',
      query: callback.search.slice(1),
      sealedFlow,
      origin: { ip: null, userAgent: null },
    });
  };

  test('the same checks pass on an untouched configuration (the control)', async () => {
    const outcome = await runFlow(depsWith(() => discover(provider.issuer)));
    expect(outcome.kind).toBe('signed_in');
  });

  test('a wrong nonce is refused', async () => {
    const deps = depsWith(() => discover(provider.issuer));
    // The provider is asked for another nonce than the one the browser's flow expects.
    const chain = await refusalOf(
      runFlow(deps, {
        doctorAuthorization: (url) => url.searchParams.set('nonce', 'a-nonce-we-never-issued'),
      }),
    );
    refusedBy(chain, { code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' }, { claim: 'nonce' });
  });

  test('an ID token from another issuer is refused (mix-up: every endpoint is the other provider)', async () => {
    const deps = depsWith(async () => {
      const otherConfig = await discover(other.issuer);
      const metadata = { ...endpointsOf(otherConfig), issuer: provider.issuer };
      const mixed = new client.Configuration(
        metadata,
        'myfile',
        undefined,
        client.ClientSecretBasic(SECRET),
      );
      client.allowInsecureRequests(mixed);
      return hardenClient(mixed);
    });
    // Without the callback's `iss` parameter (RFC 9207), which would give the mix-up away first.
    const withoutIss = (callback: URL) => callback.searchParams.delete('iss');
    refusedBy(
      await refusalOf(runFlow(deps, { via: other, doctorCallback: withoutIss })),
      { code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' },
      { claim: 'iss' },
    );
  });

  test('an ID token for another audience is refused', async () => {
    const deps = depsWith(async () => {
      const configuration = await discover(provider.issuer);
      const metadata = endpointsOf(configuration);
      // We expect tokens for "myfile-web"; the provider mints them for "myfile", the client it
      // authenticated (the authorization URL is rewritten to match).
      const expecting = new client.Configuration(
        metadata,
        'myfile-web',
        undefined,
        (_as, _client, _body, headers) => {
          headers.set(
            'authorization',
            `Basic ${Buffer.from(`myfile:${SECRET}`).toString('base64')}`,
          );
        },
      );
      client.allowInsecureRequests(expecting);
      return hardenClient(expecting);
    });
    const asMyfile = (url: URL) => url.searchParams.set('client_id', 'myfile');
    const chain = await refusalOf(runFlow(deps, { doctorAuthorization: asMyfile }));
    refusedBy(chain, { code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' }, { claim: 'aud' });
  });

  test('an expired ID token is refused', async () => {
    const deps = depsWith(async () => {
      // Our clock two hours ahead: the provider's one-hour ID token has expired by it.
      return discover(provider.issuer, { [client.clockSkew]: 2 * 3600 });
    });
    refusedBy(await refusalOf(runFlow(deps)), { code: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' });
  });

  test("an ID token not signed by a key of the provider's JWKS is refused", async () => {
    const deps = depsWith(async () => {
      const configuration = await discover(provider.issuer);
      const wrongKeys = await discover(other.issuer);
      const metadata = {
        ...endpointsOf(configuration),
        jwks_uri: endpointsOf(wrongKeys).jwks_uri,
      };
      const swapped = new client.Configuration(
        metadata,
        'myfile',
        undefined,
        client.ClientSecretBasic(SECRET),
      );
      client.allowInsecureRequests(swapped);
      return hardenClient(swapped);
    });
    refusedBy(await refusalOf(runFlow(deps)), { code: 'OAUTH_KEY_SELECTION_FAILED' });
  });

  test('ProviderConfig sanity', () => {
    expect(providerConfig()).toMatchObject({
      id: 'test',
      label: 'Test IdP',
      issuer: provider.issuer,
    });
  });
});

describe('a provider that cannot be reached', () => {
  test('start answers a clear 502 page, not a stack trace; the sign-in page still lists it', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const down = await createTestApp({ env: envFor(`http://127.0.0.1:${port}`) });
    try {
      const response = await down.app.inject({ method: 'GET', url: '/api/auth/oidc/test/start' });
      expect(response.statusCode).toBe(502);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('data-error-code="sso_unavailable"');
      expect(response.body).toContain('Test IdP cannot be reached');
      expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
      const methods = await down.app.inject({ method: 'GET', url: '/api/auth/oidc/providers' });
      expect(methods.json()).toEqual({
        passwordSignIn: true,
        providers: [{ id: 'test', label: 'Test IdP', startUrl: '/api/auth/oidc/test/start' }],
      });
    } finally {
      await down.close();
    }
  });

  test('a provider that goes down between start and callback: 502 page at the callback', async () => {
    const flaky = await startTestProvider({ clients: [client0], accounts });
    const app = await createTestApp({ env: envFor(flaky.issuer) });
    try {
      const { jar, callback } = await walkToCallback({ app, via: flaky });
      await flaky.close();
      const response = await callBack(callback, jar, { app });
      expect(response.statusCode).toBe(502);
      expect(response.body).toContain('data-error-code="sso_unavailable"');
    } finally {
      await app.close();
    }
  });
});

describe('unlinking a provider', () => {
  const identitiesOf = async (headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/api/auth/oidc/identities', headers })).json<{
      identities: { id: string; provider: string }[];
    }>().identities;

  const unlink = (headers: Record<string, string>, id: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/auth/oidc/identities/${id}/unlink`,
      headers,
      payload: {},
    });

  /** A passkey row as registration stores it; its key is never used here. */
  const addPasskey = async (userId: string) => {
    const row = await insertPasskey(t.context.database.db, {
      id: crypto.randomUUID(),
      userId,
      credentialId: `credential-${crypto.randomUUID()}`,
      publicKey: new Uint8Array([1, 2, 3]),
      counter: 0,
      transports: ['internal'],
      name: 'Laptop',
      backedUp: false,
    });
    if (!row) throw new Error('passkey not stored');
    return row.id;
  };

  test('the last way to sign in stays; with a passkey added it goes, and then the passkey stays', async () => {
    // Made by its first sign-in: no password, the provider is its only way in.
    const browser = await browserSignedInAs('unlinker');
    const [identity] = await identitiesOf(browser.headers);
    if (!identity) throw new Error('no identity');
    const refused = await unlink(browser.headers, identity.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await identitiesOf(browser.headers)).toHaveLength(1);

    const passkeyId = await addPasskey(browser.userId);
    expect((await unlink(browser.headers, identity.id)).statusCode).toBe(200);
    expect(await identitiesOf(browser.headers)).toEqual([]);
    const events = await t.app.inject({
      method: 'GET',
      url: '/api/auth/events',
      headers: browser.headers,
    });
    const unlinked = events
      .json<{ events: { type: string; details: { provider?: string } }[] }>()
      .events.find((event) => event.type === 'sso_unlinked');
    expect(unlinked?.details.provider).toBe('test');
    // The passkey is now the only way in: removing it is refused the same way.
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/passkeys/${passkeyId}`,
      headers: browser.headers,
    });
    expect(removal.statusCode).toBe(409);
  });

  test('unlinking needs a recent sign-in, and nobody unlinks another account’s provider', async () => {
    const browser = await browserSignedInAs('slowpoke');
    await addPasskey(browser.userId);
    const [identity] = await identitiesOf(browser.headers);
    if (!identity) throw new Error('no identity');
    const stranger = await fixturesOf(t.context).newUser();
    expect((await unlink(stranger.headers, identity.id)).statusCode).toBe(404);

    // created_at cannot be updated through the query builder: it is the sign-in's own time.
    await sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where user_id = ${browser.userId}`.execute(t.context.database.db);
    const stale = await unlink(browser.headers, identity.id);
    expect(stale.statusCode).toBe(403);
    expect(stale.json()).toMatchObject({ error: { code: 'reauth_required' } });
    expect(await identitiesOf(browser.headers)).toHaveLength(1);
  });

  test('a password counts only while password sign-in is on; a provider only while configured', async () => {
    const user = await fixturesOf(t.context).newUser();
    const db = t.context.database.db;
    const link = async (providerId: string) => {
      const row = await insertIdentity(db, {
        userId: user.userId,
        provider: providerId,
        issuer: `https://${providerId}.example.test`,
        subject: crypto.randomUUID(),
        email: null,
      });
      if (!row) throw new Error('identity not stored');
      return row.id;
    };
    const kept = await link('test');
    await link('retired');
    const leave = (passwordSignIn: boolean) =>
      db.transaction().execute((trx) =>
        ensureAnotherWayToSignIn({
          db: trx,
          passwordSignIn,
          providers: [{ id: 'test' }],
          userId: user.userId,
          leaving: { kind: 'provider', id: kept },
        }),
      );
    await expect(leave(true)).resolves.toBeUndefined();
    // The password no longer signs in, and "retired" is no provider of this server any more.
    await expect(leave(false)).rejects.toMatchObject({ code: 'conflict', statusCode: 409 });
  });
});
