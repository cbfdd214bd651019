import { Readable } from 'node:stream';
import { z } from 'zod';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../event-bus/event-bus.js';
import { newJob } from '../../job-queue/jobs.queue.js';
import { insertJob, type NewJob } from '../../job-queue/jobs.repository.js';
import { createJobHandler, defineJobType, PermanentJobError } from '../../job-queue/jobs.types.js';
import { toNodeEvent } from '../nodes/nodes.models.js';
import { getNodeById } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { thumbnailKeyOf, type ThumbnailSettings } from './thumbnails.models.js';
import { renderPdfFirstPage } from './thumbnails.pdf.js';
import { renderThumbnail, ThumbnailRefusedError } from './thumbnails.render.js';
import { setThumbnailStateForBlob } from './thumbnails.repository.js';

export const renderThumbnailJob = defineJobType(
  'thumbnails.render',
  z.object({ fileId: z.string(), blobKey: z.string() }),
  { maxAttempts: 3 },
);

/** The job that renders a file's thumbnail, when its row was written with one pending. */
export const thumbnailJobFor = (
  file: Pick<NodeRow, 'id' | 'blob_key' | 'thumbnail_state'>,
): NewJob | undefined =>
  file.thumbnail_state === 'pending' && file.blob_key
    ? newJob(renderThumbnailJob, { fileId: file.id, blobKey: file.blob_key })
    : undefined;

/**
 * Call inside the transaction that gave the file its content, after the row was written with
 * `initialThumbnailState`: the job exists exactly when that content does.
 */
export const enqueueThumbnailIfPending = async ({
  db,
  file,
}: { db: Db } & { file: Pick<NodeRow, 'id' | 'blob_key' | 'thumbnail_state'> }) => {
  const job = thumbnailJobFor(file);
  if (job) await insertJob(db, job);
};

export type ThumbnailJobDeps = {
  db: Db;
  blobStorage: BlobStorage;
  events: EventBus;
  settings: ThumbnailSettings;
};

/** What the WebP is made from: the blob itself, or for a PDF its first page as a PNG. */
const openRenderSource = async ({
  file,
  ...deps
}: ThumbnailJobDeps & { file: Pick<NodeRow, 'content_type'> & { blob_key: string } }) => {
  const { body } = await deps.blobStorage.get({ key: file.blob_key });
  if (file.content_type !== 'application/pdf') return body;
  const png = await renderPdfFirstPage({
    source: body,
    maxBytes: deps.settings.maxSourceBytes,
    maxImagePixels: deps.settings.maxPixels,
  });
  return Readable.from([png]);
};

const stillHolds = async ({
  db,
  fileId,
  blobKey,
}: { db: Db } & { fileId: string; blobKey: string }) =>
  (await getNodeById(db, { id: fileId }))?.blob_key === blobKey;

/**
 * Streams the blob through the renderer and stores the WebP under `thumbnails/<blobKey>`.
 * Content replaced (or purged) meanwhile: the job is moot and leaves nothing behind. An image
 * the renderer refuses (pixel flood, not decodable) fails at once: retrying cannot help.
 */
export const createRenderThumbnailHandler = (deps: ThumbnailJobDeps) =>
  createJobHandler(renderThumbnailJob, async ({ fileId, blobKey }, context) => {
    const file = await getNodeById(deps.db, { id: fileId });
    if (file?.blob_key !== blobKey) return { skipped: 'content changed' };
    if (file.thumbnail_state === 'ready') return { skipped: 'already rendered' };
    // Archived before its turn came: the bytes are cold, so it keeps its icon.
    if (file.storage_state !== 'hot') {
      await setThumbnailStateForBlob(deps.db, { id: fileId, blobKey, state: null });
      return { skipped: 'not hot' };
    }
    const key = thumbnailKeyOf(blobKey);
    try {
      const thumbnail = await renderThumbnail({
        source: await openRenderSource({
          ...deps,
          file: {
            content_type: file.content_type,
            blob_key: blobKey,
          },
        }),
        maxInputPixels: deps.settings.maxPixels,
      });
      await deps.blobStorage.put({
        key,
        body: Readable.from([thumbnail.body]),
        contentType: thumbnail.contentType,
      });
      const updated = await setThumbnailStateForBlob(deps.db, {
        id: fileId,
        blobKey,
        state: 'ready',
      });
      if (!updated) {
        // The content changed while rendering; its deletion may already have run.
        await deps.blobStorage.delete({ key });
        return { skipped: 'content changed' };
      }
      if (!updated.trashed_at) deps.events.publish(toNodeEvent(updated, 'updated'));
      return { width: thumbnail.width, height: thumbnail.height, bytes: thumbnail.body.length };
    } catch (error) {
      if (!(await stillHolds({ db: deps.db, fileId, blobKey })))
        return { skipped: 'content changed' };
      const refused = error instanceof ThumbnailRefusedError;
      if (refused || context.attempt >= renderThumbnailJob.maxAttempts) {
        await setThumbnailStateForBlob(deps.db, { id: fileId, blobKey, state: 'failed' });
      }
      if (refused) throw new PermanentJobError(error.message);
      throw error;
    }
  });
