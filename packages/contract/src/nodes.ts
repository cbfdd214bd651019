import { z } from 'zod';
import { byteCount, count, timestamp, uuid } from './formats.js';

/** A file or folder as every files route answers it. */
export const nodeSchema = z
  .object({
    id: uuid(),
    kind: z.enum(['folder', 'file']),
    parentId: uuid().nullable(),
    name: z.string(),
    size: byteCount(),
    contentType: z.string().nullable(),
    sha256: z.string().nullable(),
    storageState: z.enum(['hot', 'archiving', 'archived', 'restoring']),
    /** Why the folder's last archive or restore failed; cleared when the next one is asked for. */
    archiveError: z.string().nullable().optional(),
    /** A small WebP of the content once rendered (images, PDFs); null until then or never. */
    thumbnailUrl: z.string().nullable(),
    /** In a folder listing, for its owner: a person or a working link can open this item. */
    shared: z.boolean().optional(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: 'Node' });
export type NodeDto = z.infer<typeof nodeSchema>;
export type StorageState = NodeDto['storageState'];

export const pathSchema = z
  .array(z.object({ id: uuid(), name: z.string() }))
  .meta({ id: 'Path', description: 'From the root down to the parent.' });
export type PathDto = z.infer<typeof pathSchema>;

export const childSorts = ['name', 'updatedAt', 'size', 'type'] as const;
export type ChildSort = (typeof childSorts)[number];
export type SortOrder = 'asc' | 'desc';

export const folderWithBreadcrumbSchema = nodeSchema
  .extend({
    breadcrumb: pathSchema,
    /** Why the last restore failed; cleared when a new one starts. */
    archiveError: z.string().nullable(),
    /** The archive or restore job moving this very folder now, if any. */
    archiveJobId: uuid().nullable(),
    /** My role here: a viewer's pages are read-only. Older servers leave it out. */
    role: z.enum(['owner', 'editor', 'viewer', 'uploader']).optional(),
  })
  .meta({ id: 'FolderWithBreadcrumb' });
export type FolderWithBreadcrumb = z.infer<typeof folderWithBreadcrumbSchema>;

export const childrenPageSchema = z
  .object({ items: z.array(nodeSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ChildrenPage' });
export type ChildrenPage = z.infer<typeof childrenPageSchema>;

export const trashItemSchema = nodeSchema
  .extend({
    trashedAt: timestamp(),
    /** When the retention purge deletes it for good (TRASH_RETENTION_DAYS). */
    purgeAt: timestamp(),
    originalPath: z.array(z.string()),
  })
  .meta({ id: 'TrashItem' });
export const trashPageSchema = z
  .object({ items: z.array(trashItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'TrashPage' });
export type TrashItem = z.infer<typeof trashItemSchema>;
export type TrashPage = z.infer<typeof trashPageSchema>;

export const usageSchema = z
  .object({
    usedBytes: byteCount(),
    quotaBytes: byteCount(),
    fileCount: count(),
    trashBytes: byteCount(),
    /** Earlier versions of replaced files: counted in `usedBytes` too. */
    versionBytes: byteCount(),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof usageSchema>;

export const bulkResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        ok: z.boolean(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  })
  .meta({ id: 'BulkResult' });
export type BulkResult = z.infer<typeof bulkResultSchema>;

export const uploadedFilesSchema = z
  .object({ files: z.array(nodeSchema) })
  .meta({ id: 'UploadedFiles' });
export type UploadedFiles = z.infer<typeof uploadedFilesSchema>;
