import { AppError } from '../../app/app-error.js';

export const rootCannotBeArchived = () =>
  new AppError({
    code: 'invalid_request',
    statusCode: 400,
    message: 'The root folder cannot be archived.',
  });

export const folderNotArchived = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'Only an archived folder can be restored.',
  });
