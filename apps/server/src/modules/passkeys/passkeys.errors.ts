import { AppError } from '../../app/app-error.js';

export const passkeyRefused = (statusCode: 401 | 403, message = 'This passkey was not accepted.') =>
  new AppError({ code: 'invalid_credentials', statusCode, message, field: 'passkey' });

export const passkeyNotFound = () =>
  new AppError({ code: 'not_found', statusCode: 404, message: 'No such passkey.' });

export const passkeyChallengeInvalid = () =>
  new AppError({
    code: 'invalid_request',
    statusCode: 400,
    message: 'This passkey request expired or was already used; try again.',
    field: 'challengeToken',
  });

export const passkeyAlreadyRegistered = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'This passkey is already registered.',
  });
