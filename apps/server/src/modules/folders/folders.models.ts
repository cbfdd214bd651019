import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { clientTimestamp, storableText } from '../nodes/nodes.schemas.js';

import { childSorts, type ChildSort, type SortOrder } from '@myfile/contract';

export { childSorts, type ChildSort, type SortOrder };

/** The columns each sort orders by (ties by name, then id); each sort has its own index. */
export const sortColumns = {
  name: ['sort_key'],
  updatedAt: ['updated_at', 'sort_key'],
  size: ['size', 'sort_key'],
  type: ['content_type', 'sort_key'],
} as const satisfies Record<ChildSort, readonly string[]>;

export type KeyValue = string | number | Date;

/** Where the next page starts: inside the folders or the files range, after (values, id). */
export type ChildrenCursor = {
  sort: ChildSort;
  order: SortOrder;
  folders: boolean;
  after: { values: KeyValue[]; id: string } | null;
};

const wireSchema = z
  .object({
    s: z.enum(childSorts),
    o: z.enum(['asc', 'desc']),
    f: z.boolean(),
    k: z
      .array(z.union([storableText().pipe(z.string().max(2048)), z.number().int().nonnegative()]))
      .nullable(),
    i: z.uuid().nullable(),
  })
  .strict();

const valueSchemas = {
  name: z.tuple([z.string()]),
  updatedAt: z.tuple([clientTimestamp(), z.string()]),
  size: z.tuple([z.number().int().nonnegative(), z.string()]),
  type: z.tuple([z.string(), z.string()]),
} satisfies Record<ChildSort, z.ZodType>;

export const encodeChildrenCursor = (cursor: ChildrenCursor): string =>
  Buffer.from(
    JSON.stringify({
      s: cursor.sort,
      o: cursor.order,
      f: cursor.folders,
      k:
        cursor.after?.values.map((value) =>
          value instanceof Date ? value.toISOString() : value,
        ) ?? null,
      i: cursor.after?.id ?? null,
    }),
  ).toString('base64url');

/**
 * Opaque to clients, but never trusted: anything that does not decode to a cursor of this very
 * sort and order is a 400, so a tampered cursor cannot reach the query.
 */
export const decodeChildrenCursor = (
  raw: string,
  { sort, order }: { sort: ChildSort; order: SortOrder },
): ChildrenCursor => {
  const fail = () =>
    invalidRequest('The cursor is malformed or belongs to another listing.', 'cursor');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  const wire = wireSchema.safeParse(json);
  if (!wire.success || wire.data.s !== sort || wire.data.o !== order) throw fail();
  const { k, i, f } = wire.data;
  if ((k === null) !== (i === null)) throw fail();
  if (k === null || i === null) return { sort, order, folders: f, after: null };
  const values = valueSchemas[sort].safeParse(k);
  if (!values.success) throw fail();
  const parsed: KeyValue[] = sort === 'updatedAt' ? [new Date(String(k[0])), ...k.slice(1)] : k;
  return { sort, order, folders: f, after: { values: parsed, id: i } };
};
