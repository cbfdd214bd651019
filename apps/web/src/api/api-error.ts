import type { ErrorCode } from '@myfile/contract';
import { currentLanguage, t } from '../i18n/i18n.js';

/** A failed API call, carrying the server's sentence; never shown as an object. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'network';
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    status: number;
    code: ErrorCode | 'network';
    message: string;
    field?: string;
    retryAfterSeconds?: number;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The request validator's own wording (`Invalid body field "email": Too small…`): not for people. */
export const isValidatorText = (error: ApiError) =>
  error.code === 'invalid_request' &&
  /^Invalid (body|querystring|params|headers)\b/.test(error.message);

const waitText = (seconds: number) =>
  seconds < 60
    ? t('errors.seconds', { count: seconds })
    : t('errors.minutes', { count: Math.ceil(seconds / 60) });

/**
 * Codes whose meaning is the same wherever they come from get the web app's words, in the
 * person's language. The others keep the server's sentence in English, which names the item
 * ("An item named "a.txt" already exists here."); in another language they get the catalog's
 * general sentence for their code rather than English.
 */
const translatedCodes = [
  'network',
  'unavailable',
  'email_not_verified',
  'account_disabled',
  'email_taken',
  'link_invalid',
  'link_expired',
  'link_not_copyable',
  'password_required',
  'password_sign_in_disabled',
  'reauth_required',
  'insufficient_storage',
  'folder_archived',
  'file_archived',
  'precondition_failed',
  'rate_limited',
] as const satisfies readonly (ErrorCode | 'network')[];

type TranslatedCode = (typeof translatedCodes)[number];

const isTranslated = (code: ErrorCode | 'network'): code is TranslatedCode =>
  (translatedCodes as readonly string[]).includes(code);

/** One sentence a person can act on, whatever was thrown, in the language shown now. */
export const errorMessage = (error: unknown): string => {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' && error.retryAfterSeconds !== undefined) {
      return t('errors.rateLimitedWait', { wait: waitText(error.retryAfterSeconds) });
    }
    if (isValidatorText(error)) return t('errors.notAccepted');
    if (error.code === 'internal') {
      // The server's own 500, or a non-JSON 4xx from something in front of it.
      return error.status >= 500
        ? t('errors.code.internal')
        : t('errors.httpStatus', { status: error.status });
    }
    if (isTranslated(error.code) || currentLanguage() !== 'en') {
      return t(`errors.code.${error.code}`);
    }
    return error.message;
  }
  return t('errors.generic');
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Builds an ApiError from a non-2xx answer (JSON error body or not). */
export const toApiError = async (response: Response): Promise<ApiError> => {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; field?: string };
    };
    if (body.error?.message) {
      return new ApiError({
        status: response.status,
        code: (body.error.code ?? 'internal') as ErrorCode,
        message: sentence(body.error.message),
        ...(body.error.field ? { field: body.error.field } : {}),
        ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      });
    }
  } catch {
    // Not JSON (a proxy's page): fall through to a generic sentence for the status.
  }
  return new ApiError({
    status: response.status,
    code:
      response.status === 429
        ? 'rate_limited'
        : response.status >= 500
          ? 'unavailable'
          : 'internal',
    message:
      response.status >= 500
        ? 'The server is unavailable right now. Please try again in a moment.'
        : `The request failed (HTTP ${response.status}).`,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
};

export const networkError = () =>
  new ApiError({
    status: 0,
    code: 'network',
    message: 'Could not reach the server. Check your connection and try again.',
  });
