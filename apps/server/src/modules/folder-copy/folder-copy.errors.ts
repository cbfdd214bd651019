import { AppError } from '../../app/app-error.js';

export const copyIntoItself = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'A folder cannot be copied into itself or one of its subfolders.',
  });

/** Like a single archived file, which cannot be copied either: its bytes are in the cold tier. */
export const copyOfArchivedFolder = () =>
  new AppError({
    code: 'file_archived',
    statusCode: 409,
    message:
      'This folder is archived or holds archived files (or is being archived or restored); restore it before copying it.',
  });

export const copyOfRoot = () =>
  new AppError({
    code: 'invalid_request',
    statusCode: 400,
    message: 'The root folder cannot be copied; copy the folders in it instead.',
  });
