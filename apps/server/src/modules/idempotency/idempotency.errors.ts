import { AppError } from '../../app/app-error.js';

export const idempotencyKeyReused = () =>
  new AppError({
    code: 'idempotency_key_reused',
    statusCode: 422,
    message:
      'This Idempotency-Key was already used for a different request; use a new key for a new request.',
    field: 'Idempotency-Key',
  });

export const idempotencyKeyInProgress = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'A request with this Idempotency-Key is still running; retry once it has finished.',
    headers: { 'retry-after': '5' },
  });
