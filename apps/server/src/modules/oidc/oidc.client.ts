import { createPrivateKey } from 'node:crypto';
import { importPKCS8 } from 'jose';
import type * as client from 'openid-client';
import type { OidcProviderConfig } from './oidc.config.js';
import { isLoopbackUrl } from './oidc.config.js';
import { providerUnavailable } from './oidc.errors.js';

/** openid-client loads with the first sign-in through a provider: most servers configure none. */
export const loadOpenidClient = () => import('openid-client');

/** Seconds one request to a provider may take before it counts as down. */
const PROVIDER_TIMEOUT_SECONDS = 10;

const signingAlgorithmOf = (pem: string) => {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  throw new Error('OIDC private key: only RSA, P-256 and Ed25519 keys are supported');
};

const clientAuthOf = async (provider: OidcProviderConfig): Promise<client.ClientAuth> => {
  const openid = await loadOpenidClient();
  if (provider.clientSecret) return openid.ClientSecretBasic(provider.clientSecret);
  const pem = provider.privateKey ?? '';
  const alg = signingAlgorithmOf(pem);
  const key = await importPKCS8(pem, alg);
  return openid.PrivateKeyJwt(provider.privateKeyId ? { key, kid: provider.privateKeyId } : key);
};

/**
 * Every client checks the ID token's signature against the provider's JWKS (openid-client
 * otherwise trusts a token fetched over TLS from the token endpoint), and gives up on a slow one.
 */
export const hardenClient = async (configuration: client.Configuration) => {
  configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
  (await loadOpenidClient()).enableNonRepudiationChecks(configuration);
  return configuration;
};

/**
 * Discovery, then a client that also checks the ID token's signature against the provider's
 * JWKS (openid-client otherwise trusts a token fetched over TLS from the token endpoint).
 */
export const discoverProvider = async (provider: OidcProviderConfig) => {
  const insecure = provider.issuer.startsWith('http:') && isLoopbackUrl(provider.issuer);
  const openid = await loadOpenidClient();
  let configuration: client.Configuration;
  try {
    configuration = await openid.discovery(
      new URL(provider.issuer),
      provider.clientId,
      undefined,
      await clientAuthOf(provider),
      {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [openid.allowInsecureRequests] } : {}),
      },
    );
  } catch (error) {
    throw providerUnavailable(provider.label, error);
  }
  return hardenClient(configuration);
};

export type ProviderClients = {
  /** The provider's client, discovered on first use; a failed discovery is retried next time. */
  configurationOf: (provider: OidcProviderConfig) => Promise<client.Configuration>;
};

export const createProviderClients = (): ProviderClients => {
  const discovered = new Map<string, Promise<client.Configuration>>();
  return {
    configurationOf: (provider) => {
      let pending = discovered.get(provider.id);
      if (!pending) {
        pending = discoverProvider(provider);
        discovered.set(provider.id, pending);
        pending.catch(() => discovered.delete(provider.id));
      }
      return pending;
    },
  };
};
