import { AppError } from '../../app/app-error.js';

export const nameConflict = (name: string) =>
  new AppError({
    code: 'name_conflict',
    statusCode: 409,
    message: `An item named "${name}" already exists here.`,
  });

export const folderNotEmpty = () =>
  new AppError({
    code: 'folder_not_empty',
    statusCode: 409,
    message: 'The folder is not empty; empty it first or delete it with recursive=true.',
  });

export const moveIntoItself = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'A folder cannot be moved into itself or one of its subfolders.',
  });

/** A sharee's item stays in its owner's tree; copying is how it becomes theirs. */
export const moveAcrossOwners = () =>
  new AppError({
    code: 'forbidden',
    statusCode: 403,
    message: "An item cannot be moved into another person's folders; copy it instead.",
  });

export const rootIsReadOnly = () =>
  new AppError({
    code: 'invalid_request',
    statusCode: 400,
    message: 'The root folder cannot be renamed, moved or deleted.',
  });

export const fileArchived = () =>
  new AppError({
    code: 'file_archived',
    statusCode: 409,
    message: 'This file is archived; restore its folder before downloading it.',
  });

export const folderArchived = () =>
  new AppError({
    code: 'folder_archived',
    statusCode: 409,
    message: 'This folder is archived (or being archived or restored) and is read-only.',
  });

/** Whose quota a write is charged to, from where the writer stands: theirs, or the folder owner's. */
export type QuotaHolder = 'yours' | 'owner';

/**
 * Whose quota is full: a sharee writing into someone else's folder is told it is the owner's
 * (freeing their own space would not help), everyone else that it is theirs.
 */
export const quotaExceeded = (whose: QuotaHolder = 'yours', write: 'upload' | 'copy' = 'upload') =>
  new AppError({
    code: 'quota_exceeded',
    statusCode: 413,
    message:
      whose === 'owner'
        ? `This ${write} would exceed the storage quota of the folder's owner; ask them to free some space.`
        : `This ${write} would exceed your storage quota.`,
  });

export const uploadTooLarge = (maxBytes: number) =>
  new AppError({
    code: 'too_large',
    statusCode: 413,
    message: `The file is larger than the upload limit of ${maxBytes} bytes.`,
  });

/** Raised by `myfile_quota_exceeded()` (migration 0006) when a file does not fit the quota. */
export const isQuotaViolation = (error: unknown): boolean =>
  (error as { code?: unknown }).code === 'MF001';

/** Two requests raced for the same name and the unique index let only one commit. */
export const isSiblingNameViolation = (error: unknown): boolean => {
  const { code, constraint, message } = error as {
    code?: unknown;
    constraint?: unknown;
    message?: unknown;
  };
  return (
    code === '23505' &&
    (constraint === 'nodes_sibling_name_idx' ||
      (typeof message === 'string' && message.includes('nodes_sibling_name_idx')))
  );
};

export const versionMismatch = () =>
  new AppError({
    code: 'precondition_failed',
    statusCode: 412,
    message: 'It changed since you last loaded it (If-Match does not match); reload and try again.',
  });
