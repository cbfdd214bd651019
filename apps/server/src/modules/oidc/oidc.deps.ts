import type { AppContext } from '../../app/app-context.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { createProviderClients, type ProviderClients } from './oidc.client.js';
import type { OidcProviderConfig } from './oidc.config.js';

export type OidcDeps = AuthDeps & {
  providers: OidcProviderConfig[];
  clients: ProviderClients;
  /** OIDC_ALLOW_SIGNUP */
  allowSignup: boolean;
  /** PASSWORD_SIGNIN */
  passwordSignIn: boolean;
};

export const createOidcDeps = (context: AppContext, auth: AuthDeps): OidcDeps => ({
  ...auth,
  providers: context.config.OIDC,
  clients: createProviderClients(),
  allowSignup: context.config.OIDC_ALLOW_SIGNUP,
  passwordSignIn: context.config.PASSWORD_SIGNIN,
});
