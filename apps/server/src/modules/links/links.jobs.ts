import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import type { KeyRing } from '../../keys/key-ring.models.js';
import { resealLinkToken } from './links.models.js';
import { listLinksSealedUnderOtherKeys, replaceSealedToken } from './links.repository.js';

export const resealLinkTokensJob = defineJobType('links.reseal', z.object({}));

const BATCH = 500;

/**
 * Keys leave the ring 61 days after they were made (rotation every 30): a token still sealed
 * under one then could not be copied again. This moves every live link's token to the newest
 * key well before that. A token under a key this process does not know, or one newer than its
 * own (another process reloaded the ring first), is left alone: never moved back to an older
 * key, never dropped.
 */
export const createResealLinkTokensHandler = ({ db, ring }: { db: Db; ring: () => KeyRing }) =>
  createJobHandler(resealLinkTokensJob, async () => {
    const keys = ring();
    let resealed = 0;
    let skipped = 0;
    let after: string | undefined;
    for (;;) {
      const rows = await listLinksSealedUnderOtherKeys(db, {
        currentKid: keys.current.kid,
        after,
        limit: BATCH,
      });
      for (const row of rows) {
        const key = row.token_kid === null ? undefined : keys.byKid(row.token_kid);
        const to =
          key &&
          row.token_sealed !== null &&
          row.token_kid !== null &&
          key.createdAt < keys.current.createdAt
            ? resealLinkToken(keys, { id: row.id, kid: row.token_kid, sealed: row.token_sealed })
            : undefined;
        if (!to || row.token_kid === null || row.token_sealed === null) {
          skipped += 1;
          continue;
        }
        const updated = await replaceSealedToken(db, {
          id: row.id,
          from: { kid: row.token_kid, sealed: row.token_sealed },
          to,
        });
        resealed += Number(updated.numUpdatedRows);
      }
      if (rows.length < BATCH) break;
      after = rows.at(-1)?.id;
    }
    return { resealed, skipped };
  });

export const linksSchedules: JobSchedule<object>[] = [
  { name: 'reseal-link-tokens', type: resealLinkTokensJob, payload: {}, intervalSeconds: 6 * 3600 },
];
