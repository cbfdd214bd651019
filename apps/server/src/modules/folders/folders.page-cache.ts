import type { CommittedWrites } from '../../db/committed-writes.js';

/**
 * Folder pages as last answered (the answer's JSON, as sent), for the one process there is when
 * nothing is shared through Redis: several processes need Redis, so without it every write to
 * the database is this process's. Each committed change empties the cache, whatever it changed
 * (an item, its state, its thumbnail, a share, an access), and a page read while one commits is
 * not kept, as it may hold what the change replaced. What changes with no write, a share link
 * reaching its expiry (the owner's `shared` flags), shows within `maxAgeMs`.
 */
export type FolderPageCache = {
  /** Kept as the bytes sent, so a page read again is not encoded again. */
  read(key: FolderPageKey, load: () => Promise<Buffer>): Promise<Buffer>;
};

/** Everything a page's answer depends on besides the data: who asks, and the query. */
export type FolderPageKey = {
  actorId: string;
  folderId: string;
  sort: string;
  order: string;
  limit: number;
  cursor: string | undefined;
};

type Entry = { body: Buffer; readAt: number };

export const FOLDER_PAGE_MAX_AGE_MS = 5_000;

export const createFolderPageCache = ({
  writes,
  maxAgeMs = FOLDER_PAGE_MAX_AGE_MS,
  maxBytes = 8 * 1024 * 1024,
  now = Date.now,
}: {
  writes: CommittedWrites;
  maxAgeMs?: number;
  /** Bounds the memory held: least recently read pages go first. */
  maxBytes?: number;
  now?: () => number;
}): FolderPageCache => {
  const pages = new Map<string, Entry>();
  let bytes = 0;
  let generation = 0;
  const forget = (key: string, entry: Entry) => {
    pages.delete(key);
    bytes -= entry.body.length;
  };
  writes.subscribe(() => {
    generation += 1;
    pages.clear();
    bytes = 0;
  });
  return {
    async read(pageKey, load) {
      const key = JSON.stringify([
        pageKey.actorId,
        pageKey.folderId,
        pageKey.sort,
        pageKey.order,
        pageKey.limit,
        pageKey.cursor ?? null,
      ]);
      const cached = pages.get(key);
      if (cached && now() - cached.readAt < maxAgeMs) {
        // Read again: to the back of the eviction order.
        pages.delete(key);
        pages.set(key, cached);
        return cached.body;
      }
      if (cached) forget(key, cached);
      const started = generation;
      const readAt = now();
      const body = await load();
      if (generation !== started || body.length > maxBytes) return body;
      const stale = pages.get(key);
      if (stale) forget(key, stale);
      pages.set(key, { body, readAt });
      bytes += body.length;
      for (const [oldKey, entry] of pages) {
        if (bytes <= maxBytes) break;
        forget(oldKey, entry);
      }
      return body;
    },
  };
};
