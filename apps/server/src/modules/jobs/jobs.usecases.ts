import type { Db } from '../../db/database.js';
import { toJobView } from '../../job-queue/jobs.models.js';
import { getJobById, listJobsOfOwner } from '../../job-queue/jobs.repository.js';
import { assertOwnedOrNotFound } from '../auth/authorization.js';

/** A job the user started; anyone else's is answered like a missing one. */
export const getJobOfOwner = async ({ db, ownerId, id }: { db: Db; ownerId: string; id: string }) =>
  toJobView(
    assertOwnedOrNotFound(await getJobById(db, { id }), { userId: ownerId }, 'No such job.'),
  );

/** The user's jobs, newest first, `limit` at a time, before the job id `before`. */
export const listJobsPage = async ({
  db,
  ownerId,
  limit,
  before,
}: {
  db: Db;
  ownerId: string;
  limit: number;
  before?: string | undefined;
}) => {
  const rows = await listJobsOfOwner(db, { ownerId, limit, before });
  return {
    jobs: rows.map(toJobView),
    nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
  };
};
