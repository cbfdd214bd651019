import { AppError } from '../../app/app-error.js';

export const wrongSecondFactorCode = (statusCode: 401 | 403) =>
  new AppError({
    code: 'invalid_credentials',
    statusCode,
    message: 'That code is wrong, expired or already used.',
    field: 'code',
  });

export const pendingSignInInvalid = () =>
  new AppError({
    code: 'unauthenticated',
    statusCode: 401,
    message: 'This sign-in took too long or was already finished; enter your password again.',
  });

export const twoFactorAlreadyOn = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'Two-factor authentication is already on; turn it off first to use a new app.',
  });

export const noTotpEnrolment = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'Start the set-up again: there is no authenticator waiting to be confirmed.',
  });

export const twoFactorOff = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'Two-factor authentication is off.',
  });
