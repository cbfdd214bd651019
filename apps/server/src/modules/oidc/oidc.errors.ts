import { AppError } from '../../app/app-error.js';

export const unknownProvider = () =>
  new AppError({ code: 'not_found', statusCode: 404, message: 'No such sign-in provider.' });

/** The provider could not be reached or answered nonsense: nothing the person can fix. */
export const providerUnavailable = (label: string, cause?: unknown) =>
  new AppError({
    code: 'sso_unavailable',
    statusCode: 502,
    message: `${label} cannot be reached right now. Try again in a few minutes, or sign in another way.`,
    cause,
  });

/** State, code, PKCE or ID token refused: the attempt is dropped, never half-trusted. */
export const signInFailed = (message: string, cause?: unknown) =>
  new AppError({ code: 'sso_failed', statusCode: 400, message, cause });

export const notLinked = (message: string) =>
  new AppError({ code: 'sso_not_linked', statusCode: 403, message });

export const alreadyLinkedElsewhere = (label: string) =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: `This ${label} account is already linked to another My File account.`,
  });

export const passwordSignInDisabled = () =>
  new AppError({
    code: 'password_sign_in_disabled',
    statusCode: 403,
    message: 'Password sign-in is turned off here: use a sign-in provider.',
  });

export const identityNotFound = () =>
  new AppError({ code: 'not_found', statusCode: 404, message: 'No such linked provider.' });
