import { z } from 'zod';

/**
 * Every change pushed to a user's open tabs. Modules add their variants here, so the server
 * emits and the web app consumes one typed union.
 */
const base = { userId: z.string(), at: z.string() };

export const jobEventSchema = z.object({
  ...base,
  type: z.enum(['job.updated']),
  job: z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
  }),
});

/** What a listener needs to refresh a view; never file contents or store keys. */
export const nodeSummarySchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
});

export const fileEventSchema = z.object({
  ...base,
  type: z.enum([
    'file.created',
    'file.updated',
    'file.moved',
    'file.trashed',
    'file.restored',
    'file.deleted',
  ]),
  file: nodeSummarySchema,
  /** Set on `file.moved`: where it was. */
  previousParentId: z.string().nullable().optional(),
});

export const folderEventSchema = z.object({
  ...base,
  type: z.enum([
    'folder.created',
    'folder.updated',
    'folder.moved',
    'folder.trashed',
    'folder.restored',
    'folder.deleted',
    'folder.emptied',
  ]),
  folder: nodeSummarySchema,
  previousParentId: z.string().nullable().optional(),
});

/** An archive or restore of a folder finished, or failed (with `error`). */
export const archiveEventSchema = z.object({
  ...base,
  type: z.enum([
    'folder.archived',
    'folder.unarchived',
    'folder.restore_failed',
    'folder.archive_failed',
  ]),
  folder: nodeSummarySchema,
  jobId: z.string(),
  error: z.string().nullable().optional(),
});

/** Tells that browser session's open sockets to close, and its tabs that they are signed out. */
export const sessionRevokedEventSchema = z.object({
  ...base,
  type: z.literal('session.revoked'),
  sessionId: z.string(),
});

/** A personal token was revoked: sockets it opened close; the tokens page refreshes. */
export const tokenRevokedEventSchema = z.object({
  ...base,
  type: z.literal('token.revoked'),
  tokenId: z.string(),
});

/** Something was shared with this user, their role changed, or their access was revoked. */
export const shareChangedEventSchema = z.object({
  ...base,
  type: z.literal('share.changed'),
  change: z.enum(['added', 'updated', 'revoked']),
  role: z.enum(['viewer', 'editor']),
  node: nodeSummarySchema,
});

export const domainEventSchema = z.discriminatedUnion('type', [
  jobEventSchema,
  fileEventSchema,
  folderEventSchema,
  archiveEventSchema,
  sessionRevokedEventSchema,
  tokenRevokedEventSchema,
  shareChangedEventSchema,
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];

/**
 * What a share link's visitor hears about the link's subtree (`/api/s/:token/events`): that a
 * file or folder in it was added, changed (renamed, replaced, archived…) or removed (trashed,
 * deleted, moved out). No owner id, and no parent above the link: its own item has
 * `parentId: null`.
 */
export const linkEventSchema = z.object({
  type: z.enum(['node.added', 'node.changed', 'node.removed']),
  at: z.string(),
  kind: z.enum(['file', 'folder']),
  node: nodeSummarySchema,
});
export type LinkEvent = z.infer<typeof linkEventSchema>;

/** One text message on a link's event WebSocket: a change in its subtree, or `ready` once live. */
export const linkStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: linkEventSchema }),
  z.object({ type: z.literal('ready') }),
]);
export type LinkStreamMessage = z.infer<typeof linkStreamMessageSchema>;

/** Close code of a link's event socket when the link is revoked, expires or is used up. */
export const LINK_ENDED_CLOSE_CODE = 4410;

/**
 * One text message on the `/api/events` WebSocket: an event with its replay id, `reset` (the
 * replay asked for with `?since=` is no longer complete: reload what is shown), then `ready`
 * once the replay and everything held back during it are sent.
 */
export const eventStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), id: z.string(), event: domainEventSchema }),
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('ready') }),
]);
export type EventStreamMessage = z.infer<typeof eventStreamMessageSchema>;
