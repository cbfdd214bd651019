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

/**
 * The owner asked to copy a link whose token the server does not hold: made before tokens were
 * kept (migration 0014), or sealed under a key that has left the ring.
 */
export const linkNotCopyable = () =>
  new AppError({
    code: 'link_not_copyable',
    statusCode: 409,
    message:
      'This link was made before links could be copied again, so its address is not kept. It still works for whoever has it; to share it anew, make a new link (and revoke this one if you like).',
  });
