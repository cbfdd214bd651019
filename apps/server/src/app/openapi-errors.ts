import { errorBodySchema } from '@myfile/contract';

const DESCRIPTIONS: Record<400 | 401 | 403 | 404 | 409 | 410 | 413 | 429, string> = {
  400: 'invalid_request (with the field)',
  401: 'unauthenticated, password_required or invalid_credentials',
  403: 'forbidden (the role does not allow it) or csrf_invalid',
  404: 'not_found: missing, or not visible to the caller',
  409: 'a conflict (name_conflict, folder_archived, file_archived)',
  410: 'link_expired: the link was revoked, has expired or reached its download limit',
  413: 'too_large or quota_exceeded',
  429: 'rate_limited, with Retry-After',
};

/** The error answers a route documents in the OpenAPI document, all in the one error shape. */
export const errorResponses = <Status extends 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429>(
  ...statuses: Status[]
) =>
  Object.fromEntries(
    statuses.map((status) => [status, errorBodySchema.describe(DESCRIPTIONS[status])]),
  ) as Record<Status, typeof errorBodySchema>;
