import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { ApiError } from '../api/api-error.js';
import { api } from '../api/http.js';
import { t } from '../i18n/i18n.js';

/** What the server's `…/options` routes answer: WebAuthn options and the signed challenge. */
type Ceremony = { options: Record<string, unknown>; challengeToken: string };

export const passkeysSupported = () => browserSupportsWebAuthn();

/** The browser's refusals, in words: the person closed the prompt, or the device said no. */
const ceremonyFailed = (error: unknown) => {
  const message =
    error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'
      ? t('passkeys.alreadyRegistered')
      : t('passkeys.promptClosed');
  return new ApiError({ status: 0, code: 'invalid_request', message });
};

/** Asks the server for a challenge, and this device to sign it with one of its passkeys. */
export const provePasskey = async (
  optionsPath: string,
  body: object = {},
): Promise<{ challengeToken: string; response: AuthenticationResponseJSON }> => {
  const ceremony = await api<Ceremony>(optionsPath, { method: 'POST', body });
  const response = await startAuthentication({
    // The server's options are WebAuthn JSON, passed through as they are.
    optionsJSON: ceremony.options as unknown as PublicKeyCredentialRequestOptionsJSON,
  }).catch((error: unknown) => {
    throw ceremonyFailed(error);
  });
  return { challengeToken: ceremony.challengeToken, response };
};

/** Asks the server for registration options, and this device to make a passkey for them. */
export const createPasskey = async (): Promise<{
  challengeToken: string;
  response: RegistrationResponseJSON;
}> => {
  const ceremony = await api<Ceremony>('/api/auth/passkeys/register/options', {
    method: 'POST',
    body: {},
  });
  const response = await startRegistration({
    optionsJSON: ceremony.options as unknown as PublicKeyCredentialCreationOptionsJSON,
  }).catch((error: unknown) => {
    throw ceremonyFailed(error);
  });
  return { challengeToken: ceremony.challengeToken, response };
};
