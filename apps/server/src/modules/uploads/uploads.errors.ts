import { AppError, isAppError } from '../../app/app-error.js';
import { toErrorAnswer } from '../../app/error-handler.js';

/**
 * A multipart upload of several files failed part-way: the same status and code, worded so the
 * client knows which file failed and that the files before it were not kept either.
 */
export const nothingOfTheRequestStored = (
  error: unknown,
  failedName: string | undefined,
  discarded: number,
) => {
  const answer = toErrorAnswer(error);
  const which = failedName === undefined ? '' : `"${failedName}" (file ${discarded + 1}): `;
  return new AppError({
    ...answer,
    message: `${which}${answer.message} Nothing from this upload was stored: its files are stored all together or not at all.`,
    ...(isAppError(error) && error.headers ? { headers: error.headers } : {}),
    cause: error,
  });
};
