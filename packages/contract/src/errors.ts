import { z } from 'zod';

/** Every error code the API can answer with; the web app switches on these. */
export const errorCodes = [
  'invalid_request',
  'unauthenticated',
  'reauth_required',
  'invalid_credentials',
  'email_not_verified',
  'email_taken',
  'account_disabled',
  'link_invalid',
  'link_expired',
  'link_not_copyable',
  'password_required',
  'password_rejected',
  'password_sign_in_disabled',
  'sso_failed',
  'sso_not_linked',
  'sso_unavailable',
  'csrf_invalid',
  'forbidden',
  'not_found',
  'name_conflict',
  'folder_not_empty',
  'folder_archived',
  'file_archived',
  'conflict',
  'idempotency_key_reused',
  'too_large',
  'checksum_mismatch',
  'quota_exceeded',
  'unsupported_media_type',
  'range_not_satisfiable',
  'thumbnail_not_ready',
  'rate_limited',
  'precondition_failed',
  'locked',
  'method_not_allowed',
  'insufficient_storage',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** Every 4xx and 5xx JSON answer. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/)
        .meta({ example: 'not_found' }),
      message: z.string().describe('A sentence for a person; never a stack trace.'),
      field: z.string().optional().describe('The request field at fault, when there is one.'),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
