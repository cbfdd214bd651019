import { AppError } from '../../app/app-error.js';
import type { PasswordProblem } from './passwords/passwords.models.js';

/**
 * RFC 9110 §11.6.1: every 401 names a scheme the client can answer with. The API's is Bearer
 * (RFC 6750); `error` tells a token client why the token it sent was not enough (§3.1).
 */
const bearerChallenge = (problem?: {
  error: 'invalid_token' | 'insufficient_scope';
  description: string;
  scope?: string;
}) =>
  [
    'Bearer realm="My File"',
    ...(problem
      ? [
          `error="${problem.error}"`,
          `error_description="${problem.description}"`,
          ...(problem.scope ? [`scope="${problem.scope}"`] : []),
        ]
      : []),
  ].join(', ');

export const unauthenticated = (message = 'Sign in to continue.') =>
  new AppError({
    code: 'unauthenticated',
    statusCode: 401,
    message,
    headers: { 'www-authenticate': bearerChallenge() },
  });

/** A Bearer token was sent and refused: unknown, malformed, expired or revoked. */
export const invalidToken = () =>
  new AppError({
    code: 'unauthenticated',
    statusCode: 401,
    message: 'This token is invalid, expired or revoked.',
    headers: {
      'www-authenticate': bearerChallenge({
        error: 'invalid_token',
        description: 'The token is invalid, expired or revoked',
      }),
    },
  });

export const forbidden = (message: string) =>
  new AppError({ code: 'forbidden', statusCode: 403, message });

/** A valid token without the scope this request needs (RFC 6750 §3.1 insufficient_scope). */
export const insufficientScope = (scope: string) =>
  new AppError({
    code: 'forbidden',
    statusCode: 403,
    message: `This token does not have the "${scope}" scope.`,
    headers: {
      'www-authenticate': bearerChallenge({
        error: 'insufficient_scope',
        description: `The token lacks the ${scope} scope`,
        scope,
      }),
    },
  });

export const csrfInvalid = (message = 'The request is missing a valid CSRF token.') =>
  new AppError({ code: 'csrf_invalid', statusCode: 403, message });

/** One answer for an unknown email and a wrong password, so neither is revealed. */
export const invalidCredentials = () =>
  new AppError({
    code: 'invalid_credentials',
    statusCode: 401,
    message: 'The email or password is incorrect.',
    headers: { 'www-authenticate': bearerChallenge() },
  });

export const emailNotVerified = () =>
  new AppError({
    code: 'email_not_verified',
    statusCode: 403,
    message: 'Confirm your email address with the link we sent, then sign in.',
  });

/** Said only to someone who proved they hold the account (right password, passkey, provider). */
export const accountDisabled = () =>
  new AppError({
    code: 'account_disabled',
    statusCode: 403,
    message: 'This account has been disabled by an administrator.',
  });

export const emailTaken = () =>
  new AppError({
    code: 'email_taken',
    statusCode: 409,
    message: 'An account with this email already exists.',
    field: 'email',
  });

export const linkInvalid = () =>
  new AppError({
    code: 'link_invalid',
    statusCode: 400,
    message: 'This link is invalid, expired or already used. Ask for a new one.',
  });

const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  too_short: 'Use at least 10 characters.',
  too_long: 'Use at most 256 characters.',
  too_weak: 'This password is too easy to guess; add a few uncommon words.',
  like_account: 'Do not use your email address as the password.',
};

export const passwordRejected = (
  { problem, warning }: { problem: PasswordProblem; warning?: string | undefined },
  field = 'password',
) =>
  new AppError({
    code: 'password_rejected',
    statusCode: 400,
    message: warning ? `${warning} ${PASSWORD_MESSAGES[problem]}` : PASSWORD_MESSAGES[problem],
    field,
  });

export const rateLimited = (
  retryAfterSeconds: number,
  {
    message = 'Too many attempts; try again later.',
    headers = {},
  }: { message?: string; headers?: Record<string, string> } = {},
) =>
  new AppError({
    code: 'rate_limited',
    statusCode: 429,
    message,
    headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
