import { z } from 'zod';
import { byteCount, timestamp, uuid } from './formats.js';

/** An earlier content of a file, kept when it was replaced. */
export const fileVersionSchema = z
  .object({
    id: uuid(),
    size: byteCount(),
    sha256: z.string(),
    contentType: z.string(),
    /** When these bytes became the file's content. */
    modifiedAt: timestamp(),
    /** When they were replaced (and kept as this version). */
    createdAt: timestamp(),
    /** Who replaced them; null once that account is gone. */
    createdBy: z.object({ id: uuid(), email: z.string() }).nullable(),
  })
  .meta({ id: 'FileVersion' });
export type FileVersionDto = z.infer<typeof fileVersionSchema>;

export const fileVersionListSchema = z
  .object({ versions: z.array(fileVersionSchema) })
  .meta({ id: 'FileVersionList', description: 'Newest first.' });
export type FileVersionList = z.infer<typeof fileVersionListSchema>;
