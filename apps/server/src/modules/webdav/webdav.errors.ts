import type { ErrorCode } from '@myfile/contract';
import { AppError } from '../../app/app-error.js';
import { escapeXml } from './webdav.xml.js';

/**
 * An error a WebDAV client should act on. `condition` names an RFC 4918 precondition; the
 * body is then the `<D:error>` element clients parse, instead of our JSON error.
 */
export class DavError extends AppError {
  readonly condition: string | undefined;
  /** What goes inside the condition element (e.g. the href of a lock), if anything. */
  readonly conditionXml: string;

  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    condition?: string,
    conditionXml = '',
  ) {
    super({ statusCode, code, message });
    this.name = 'DavError';
    this.condition = condition;
    this.conditionXml = conditionXml;
  }
}

export const davError = (
  statusCode: number,
  code: ErrorCode,
  message: string,
  condition?: string,
  conditionXml?: string,
) => new DavError(statusCode, code, message, condition, conditionXml);

export const preconditionFailed = (message: string) =>
  davError(412, 'precondition_failed', message);

export const methodNotAllowed = (message: string) => davError(405, 'method_not_allowed', message);

export const conflict = (message: string) => davError(409, 'conflict', message);

export const forbiddenHere = (message: string, condition?: string) =>
  davError(403, 'forbidden', message, condition);

/** 423: a lock covers what the request would change, and none of its tokens was submitted. */
export const locked = (message: string, condition: string, hrefs: readonly string[]) =>
  davError(
    423,
    'locked',
    message,
    condition,
    hrefs.map((href) => `<D:href>${escapeXml(href)}</D:href>`).join(''),
  );
