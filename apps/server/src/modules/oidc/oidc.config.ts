import { z } from 'zod';
import { booleanFromEnv, urlFromEnv } from '../../config/config.schemas.js';

/** One OpenID provider, as the environment describes it. */
export type OidcProviderConfig = {
  /** In the callback URL: `<PUBLIC_URL>/api/auth/oidc/<id>/callback`. */
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  /** Exactly one of the two authenticates the app at the token endpoint. */
  clientSecret: string | undefined;
  /** A PKCS#8 PEM (RSA, P-256 or Ed25519) for `private_key_jwt`. */
  privateKey: string | undefined;
  privateKeyId: string | undefined;
  scopes: string;
};

/** The id of the provider configured by the unprefixed `OIDC_*` variables. */
export const SINGLE_PROVIDER_ID = 'sso';

const PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** The per-provider settings; prefixed `OIDC_<ID>_` for each id listed in OIDC_PROVIDERS. */
export const oidcProviderSettings = {
  ISSUER: urlFromEnv(['https', 'http']),
  CLIENT_ID: z.string().trim().min(1, 'must not be empty'),
  CLIENT_SECRET: z.string().min(1).optional(),
  PRIVATE_KEY: z
    .string()
    .includes('-----BEGIN PRIVATE KEY-----', { error: 'must be a PKCS#8 PEM private key' })
    .optional(),
  PRIVATE_KEY_ID: z.string().trim().min(1).optional(),
  SCOPES: z
    .string()
    .trim()
    .regex(/(^|\s)openid(\s|$)/, 'must include openid')
    .default('openid email profile'),
  LABEL: z.string().trim().min(1).max(60).optional(),
};

const SECRET_SETTINGS = new Set(['CLIENT_SECRET', 'PRIVATE_KEY']);

const envName = (id: string | null, setting: string) =>
  id === null ? `OIDC_${setting}` : `OIDC_${id.toUpperCase().replaceAll('-', '_')}_${setting}`;

/** http is for a provider on this machine (development, tests); anything else needs TLS. */
export const isLoopbackUrl = (url: string) =>
  ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

const parseProvider = (
  env: Record<string, string | undefined>,
  id: string | null,
  fail: (message: string) => never,
): OidcProviderConfig => {
  const values: Record<string, unknown> = {};
  for (const [setting, schema] of Object.entries(oidcProviderSettings)) {
    const name = envName(id, setting);
    const raw = env[name] === '' ? undefined : env[name];
    const result = schema.safeParse(raw);
    if (!result.success) {
      const reason = result.error.issues[0]?.message ?? 'is invalid';
      fail(
        `${name} ${raw === undefined ? 'is required' : reason}${SECRET_SETTINGS.has(setting) || raw === undefined ? '' : ` (got "${raw}")`}`,
      );
    }
    values[setting] = result.data;
  }
  const parsed = values as {
    [K in keyof typeof oidcProviderSettings]: z.output<(typeof oidcProviderSettings)[K]>;
  };
  if (Boolean(parsed.CLIENT_SECRET) === Boolean(parsed.PRIVATE_KEY)) {
    fail(
      `${envName(id, 'CLIENT_SECRET')} or ${envName(id, 'PRIVATE_KEY')} must be set (exactly one)`,
    );
  }
  if (parsed.ISSUER.startsWith('http:') && !isLoopbackUrl(parsed.ISSUER)) {
    fail(`${envName(id, 'ISSUER')} must be https:// (http is only for a provider on localhost)`);
  }
  const providerId = id ?? SINGLE_PROVIDER_ID;
  return {
    id: providerId,
    label: parsed.LABEL ?? (id === null ? 'single sign-on' : providerId),
    issuer: parsed.ISSUER.replace(/\/+$/, ''),
    clientId: parsed.CLIENT_ID,
    clientSecret: parsed.CLIENT_SECRET,
    privateKey: parsed.PRIVATE_KEY,
    privateKeyId: parsed.PRIVATE_KEY_ID,
    scopes: parsed.SCOPES,
  };
};

/**
 * One provider from `OIDC_ISSUER`, `OIDC_CLIENT_ID`…; several from `OIDC_PROVIDERS=a,b` and
 * `OIDC_A_ISSUER`, `OIDC_B_ISSUER`… (the id upper-cased, `-` as `_`). Both forms may be used at once.
 */
export const parseOidcProviders = (
  env: Record<string, string | undefined>,
  fail: (message: string) => never,
): OidcProviderConfig[] => {
  const providers: OidcProviderConfig[] = [];
  if (env.OIDC_ISSUER || env.OIDC_CLIENT_ID) providers.push(parseProvider(env, null, fail));
  const listed = (env.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
  for (const id of listed) {
    if (!PROVIDER_ID.test(id)) {
      fail(`OIDC_PROVIDERS has "${id}", which is not a provider id (a-z, 0-9 and -, at most 32)`);
    }
    if (providers.some((provider) => provider.id === id)) {
      fail(`OIDC_PROVIDERS names "${id}" twice`);
    }
    providers.push(parseProvider(env, id, fail));
  }
  return providers;
};

export const oidcConfigSettings = {
  OIDC_ISSUER: {
    schema: z.string().optional(),
    doc: 'Issuer URL of one OpenID Connect provider (its discovery document is <issuer>/.well-known/openid-configuration). With it: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY, and optionally OIDC_SCOPES, OIDC_LABEL. Its callback URL is PUBLIC_URL/api/auth/oidc/sso/callback.',
    defaultLabel: '(no single sign-on)',
  },
  OIDC_CLIENT_ID: { schema: z.string().optional(), doc: 'Client id the provider gave this app.' },
  OIDC_CLIENT_SECRET: {
    schema: z.string().optional(),
    doc: 'Client secret (client_secret_basic). Leave unset when OIDC_PRIVATE_KEY is used.',
    secret: true,
  },
  OIDC_PRIVATE_KEY: {
    schema: z.string().optional(),
    doc: 'PKCS#8 PEM private key (RSA, P-256 or Ed25519) to authenticate with private_key_jwt instead of a secret; register its public key with the provider. OIDC_PRIVATE_KEY_ID sets its kid.',
    secret: true,
  },
  OIDC_PRIVATE_KEY_ID: { schema: z.string().optional(), doc: 'Key id (kid) of OIDC_PRIVATE_KEY.' },
  OIDC_SCOPES: {
    schema: z.string().optional(),
    doc: 'Scopes asked for; must include openid.',
    defaultLabel: 'openid email profile',
  },
  OIDC_LABEL: {
    schema: z.string().optional(),
    doc: 'Name on the sign-in button: "Sign in with <label>".',
    defaultLabel: 'single sign-on',
  },
  OIDC_PROVIDERS: {
    schema: z.string().optional(),
    doc: 'Several providers: a comma-separated list of ids (a-z, 0-9, -), each configured by the same settings prefixed OIDC_<ID>_ (OIDC_KEYCLOAK_ISSUER, OIDC_KEYCLOAK_CLIENT_ID…); callback PUBLIC_URL/api/auth/oidc/<id>/callback.',
    defaultLabel: '(none)',
  },
  OIDC_ALLOW_SIGNUP: {
    schema: booleanFromEnv.default(false),
    doc: 'A first sign-in through a provider creates an account (only with an email address the provider says it verified, and never one an account already has). false: only accounts that linked the provider on their security page can use it.',
  },
  PASSWORD_SIGNIN: {
    schema: booleanFromEnv.default(true),
    doc: 'false turns off sign-in, registration and reset by password (the routes answer 403 password_sign_in_disabled, the sign-in page shows only the provider buttons).',
  },
};
