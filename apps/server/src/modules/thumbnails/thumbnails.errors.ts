import { AppError } from '../../app/app-error.js';

export const thumbnailNotReady = () =>
  new AppError({
    code: 'thumbnail_not_ready',
    statusCode: 404,
    message: 'This file has no thumbnail yet (or never will).',
  });
