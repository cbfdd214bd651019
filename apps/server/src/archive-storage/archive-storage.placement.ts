import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';

/** A store's key space: one bucket or the local disk, and the prefix or directory in it. */
const locationOf = (raw: string) => {
  try {
    const config = parseStorageUrl(raw);
    if (config.driver === 's3') return { space: `s3:${config.bucket}`, path: config.prefix ?? '' };
    if (config.driver === 'fs') return { space: 'file', path: config.root.replace(/\/+$/, '') };
  } catch {
    // A malformed URL is reported, with its reason, when its store is created.
  }
  return undefined;
};

const contains = (outer: string, inner: string) =>
  outer === '' || inner === outer || inner.startsWith(`${outer}/`);

/**
 * True when the cold tier would share keys with the hot store. Archiving writes the cold copy
 * under the blob's own key and then deletes the hot one, and the orphan sweep deletes every
 * object of the hot store it does not know: either would destroy archived data.
 */
export const tiersOverlap = ({ hotUrl, coldUrl }: { hotUrl: string; coldUrl: string }) => {
  const hot = locationOf(hotUrl);
  const cold = locationOf(coldUrl);
  if (!hot || !cold || hot.space !== cold.space) return false;
  return contains(hot.path, cold.path) || contains(cold.path, hot.path);
};
