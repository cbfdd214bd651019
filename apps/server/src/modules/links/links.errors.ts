import { AppError } from '../../app/app-error.js';

/** Revoked, expired or used up: the link existed, and says so, but opens nothing any more. */
export const linkExpired = () =>
  new AppError({
    code: 'link_expired',
    statusCode: 410,
    message: 'This link has expired or was turned off by its owner.',
  });

export const passwordRequired = () =>
  new AppError({
    code: 'password_required',
    statusCode: 401,
    message: 'This link is protected by a password; enter it to continue.',
  });

export const wrongLinkPassword = () =>
  new AppError({
    code: 'invalid_credentials',
    statusCode: 401,
    message: 'The password is incorrect.',
    field: 'password',
  });
