import { z } from 'zod';

/**
 * The JSON shapes of values every answer shares, so the OpenAPI document says `format: uuid`,
 * `format: date-time` and `type: integer` where the server means them. Ids are checked as
 * 8-4-4-4-12 hex (any version: test fixtures and older rows are not all v7).
 */
export const uuid = () => z.guid();
/** An ISO 8601 instant as `Date#toISOString` writes it. */
export const timestamp = () => z.iso.datetime({ offset: true });
export const byteCount = () => z.number().int().nonnegative();
export const count = () => z.number().int().nonnegative();
