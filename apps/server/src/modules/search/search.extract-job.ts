import { z } from 'zod';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';
import { newJob } from '../../job-queue/jobs.queue.js';
import { insertJob, type NewJob } from '../../job-queue/jobs.repository.js';
import { createJobHandler, defineJobType, PermanentJobError } from '../../job-queue/jobs.types.js';
import { getNodeById } from '../nodes/nodes.repository.js';
import type { NodeRow } from '../nodes/nodes.tables.js';
import { ExtractionRefusedError, extractText } from './search.extract.js';
import { saveExtractedText } from './search.repository.js';

export const extractTextJob = defineJobType(
  'search.extract-text',
  z.object({ fileId: z.string(), blobKey: z.string() }),
  // Indexing is background work: user-facing jobs (an archive, a thumbnail) go first.
  { maxAttempts: 3, priority: -10 },
);

export type ContentSearchSettings = {
  /** Largest file read for its text; 0 turns content search off. */
  maxBytes: number;
  language: string;
};

/** At most this much text per file is indexed (a tsvector holds at most 1 MB). */
const MAX_INDEXED_CHARS = 200_000;
const EXTRACT_TIMEOUT_MS = 20_000;

const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/x-yaml',
  'application/yaml',
  'application/javascript',
  'application/x-sh',
  'application/sql',
]);
const TEXT_EXTENSIONS =
  /\.(txt|md|markdown|csv|tsv|json|xml|ya?ml|log|ini|toml|html?|css|js|ts|py|sh|sql|rst|tex)$/i;

/** Which files have text worth indexing, and how to read it. */
export const textKindOf = (file: Pick<NodeRow, 'content_type' | 'name'>): 'text' | 'pdf' | null => {
  const type = file.content_type.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || TEXT_EXTENSIONS.test(file.name))
    return 'text';
  return null;
};

/** The job that indexes a file's text, or none when the file has no text worth reading. */
export const textExtractionJobFor = (
  file: Pick<NodeRow, 'id' | 'blob_key' | 'content_type' | 'name' | 'size'>,
  settings: Pick<ContentSearchSettings, 'maxBytes'>,
): NewJob | undefined => {
  if (!file.blob_key || settings.maxBytes === 0) return undefined;
  const kind = textKindOf(file);
  if (!kind || (kind === 'pdf' && file.size > settings.maxBytes)) return undefined;
  return newJob(extractTextJob, { fileId: file.id, blobKey: file.blob_key });
};

/**
 * Call inside the transaction that gave the file its content: the job exists exactly when that
 * content does, so a crash cannot leave a file unindexed.
 */
export const enqueueTextExtraction = async ({
  db,
  file,
  settings,
}: {
  db: Db;
  file: Pick<NodeRow, 'id' | 'blob_key' | 'content_type' | 'name' | 'size'>;
  settings: Pick<ContentSearchSettings, 'maxBytes'>;
}) => {
  const job = textExtractionJobFor(file, settings);
  if (job) await insertJob(db, job);
};

/**
 * Reads the content (bounded), extracts its text in a worker thread (bounded in time and heap)
 * and stores it with its tsvector. Content replaced meanwhile: the newer job indexes it.
 */
export const createExtractTextHandler = (deps: {
  db: Db;
  blobStorage: BlobStorage;
  settings: ContentSearchSettings;
}) =>
  createJobHandler(extractTextJob, async ({ fileId, blobKey }) => {
    const file = await getNodeById(deps.db, { id: fileId });
    if (file?.blob_key !== blobKey) return { skipped: 'content changed' };
    const kind = textKindOf(file);
    if (!kind) return { skipped: 'not text' };
    // Archived before its turn came: the bytes are cold; it stays findable by name.
    if (file.storage_state !== 'hot') return { skipped: 'not hot' };
    try {
      const { body } = await deps.blobStorage.get({ key: blobKey });
      const { text, truncated } = await extractText({
        source: body,
        kind,
        maxBytes: deps.settings.maxBytes,
        maxChars: MAX_INDEXED_CHARS,
        timeoutMs: EXTRACT_TIMEOUT_MS,
      });
      const saved = await saveExtractedText(deps.db, {
        fileId,
        blobKey,
        body: text,
        truncated,
        language: deps.settings.language,
      });
      return saved ? { chars: text.length, truncated } : { skipped: 'content changed' };
    } catch (error) {
      if (error instanceof ExtractionRefusedError) throw new PermanentJobError(error.message);
      throw error;
    }
  });
