import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';

export type TestAccount = { email?: string; email_verified?: boolean; name?: string };

export type TestProvider = {
  issuer: string;
  /** Walks an authorization URL through the provider's login as `account`; the callback URL. */
  signIn: (authorizationUrl: string, account: string) => Promise<URL>;
  close: () => Promise<void>;
};

/** `name=value` cookies of one origin, as a browser would keep them across redirects. */
const createJar = () => {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    take: (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
    },
  };
};

/**
 * A real, certified OpenID provider (`oidc-provider`) on a loopback port, with its in-memory
 * store and its development login: any account id typed in is signed in, with `accounts`' claims.
 * The server's tests walk it with `signIn`; the browser tests click through its pages.
 */
export const startTestProvider = async ({
  clients,
  accounts,
}: {
  clients: ClientMetadata[];
  accounts: Record<string, TestAccount>;
}): Promise<TestProvider> => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Its own signing key: the package's development key is the same in every instance.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: issuer, alg: 'RS256', use: 'sig' }] },
    // Keycloak and Cognito put email and email_verified in the ID token; so does this one.
    conformIdTokenClaims: false,
    cookies: { keys: ['a test provider key, not a secret'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, id) => {
      const claims = accounts[id];
      return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  const handle = provider.callback();
  server.on('request', (request, response) => {
    void handle(request, response);
  });

  const signIn = async (authorizationUrl: string, account: string) => {
    const jar = createJar();
    let url = new URL(authorizationUrl);
    const prompts = ['login', 'consent'];
    for (let hop = 0; hop < 10; hop += 1) {
      if (url.origin !== issuer) return url;
      let response: Response;
      if (url.pathname.startsWith('/interaction/')) {
        const prompt = prompts.shift() ?? 'consent';
        response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ prompt, login: account, password: 'any' }).toString(),
        });
      } else {
        response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      }
      jar.take(response);
      const location = response.headers.get('location');
      if (!location) {
        throw new Error(
          `the provider stopped at ${url.pathname}: ${response.status} ${await response.text()}`,
        );
      }
      url = new URL(location, url);
    }
    throw new Error('the provider redirected too often');
  };

  return {
    issuer,
    signIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
