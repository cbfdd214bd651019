import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { NodeRow, StorageState } from '../nodes/nodes.tables.js';
import { archiveFolderJob, restoreFolderJob } from './archive.job-types.js';

const liveSubtreeIds = (id: string) => sql<string>`(
  with recursive tree as (
    select id from nodes where id = ${id} and trashed_at is null
    union all
    select c.id from nodes c join tree t on c.parent_id = t.id where c.trashed_at is null
  )
  select id from tree
)`;

/** Moves every live node under (and including) `id` that is in `from` to `to`. */
export const setSubtreeState = async (
  db: Db,
  { id, from, to }: { id: string; from: StorageState; to: StorageState },
) => {
  const result = await db
    .updateTable('nodes')
    .set({ storage_state: to, restore_requested_at: null })
    .where('id', 'in', liveSubtreeIds(id))
    .where('storage_state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/** The folder alone, only from `from`: the row lock makes two concurrent requests take turns. */
export const setFolderStateIf = (
  db: Db,
  { id, from, to }: { id: string; from: StorageState; to: StorageState },
) =>
  db
    .updateTable('nodes')
    .set({ storage_state: to })
    .where('id', '=', id)
    .where('storage_state', '=', from)
    .returningAll()
    .executeTakeFirst();

export const listSubtreeFiles = (db: Db, { id }: { id: string }) =>
  db
    .selectFrom('nodes')
    .selectAll()
    .where('id', 'in', liveSubtreeIds(id))
    .where('is_folder', '=', false)
    .orderBy('id')
    .execute() as Promise<NodeRow[]>;

/** The kept versions of every live file under `id`, by file: they share the file's tier. */
export const listSubtreeVersions = async (db: Db, { id }: { id: string }) => {
  const rows = await db
    .selectFrom('file_versions')
    .select(['node_id', 'blob_key', 'sha256', 'content_type', 'created_at'])
    .where('node_id', 'in', liveSubtreeIds(id))
    .orderBy('node_id')
    .orderBy('created_at')
    .execute();
  const byFile = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byFile.get(row.node_id);
    if (list) list.push(row);
    else byFile.set(row.node_id, [row]);
  }
  return byFile;
};

/** A batch of files' step, recorded only for those still where the job left them. */
export const setFilesState = async (
  db: Db,
  { ids, from, to }: { ids: readonly string[]; from: StorageState; to: StorageState },
) => {
  if (ids.length === 0) return;
  await db
    .updateTable('nodes')
    .set({ storage_state: to, restore_requested_at: null })
    .where('id', 'in', ids)
    .where('storage_state', '=', from)
    .execute();
};

export const markRestoreRequested = async (db: Db, { ids }: { ids: readonly string[] }) => {
  if (ids.length === 0) return;
  await db
    .updateTable('nodes')
    .set({ restore_requested_at: new Date() })
    .where('id', 'in', ids)
    .where('storage_state', '=', 'restoring')
    .execute();
};

export const setArchiveError = async (
  db: Db,
  { id, error }: { id: string; error: string | null },
) => {
  await db.updateTable('nodes').set({ archive_error: error }).where('id', '=', id).execute();
};

/** The newest unfinished job of one of `jobNames` started on this very folder, if any. */
export const findActiveFolderJobId = async (
  db: Db,
  { ownerId, folderId, jobNames }: { ownerId: string; folderId: string; jobNames: string[] },
) => {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('name', 'in', jobNames)
    .where('status', 'in', ['queued', 'running'])
    .where(sql<string>`payload->>'folderId'`, '=', folderId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
};

/**
 * The topmost archived folder `id` sits in (itself when its parent is not archived): the unit an
 * archive request made, and so the unit a restore must bring back whole.
 */
export const findArchivedTop = async (db: Db, { id }: { id: string }) => {
  const result = await sql<{ id: string }>`
    with recursive up as (
      select n.id, n.parent_id, 0 as depth from nodes n
      where n.id = ${id} and n.storage_state = 'archived'
      union all
      select p.id, p.parent_id, up.depth + 1 from nodes p join up on p.id = up.parent_id
      where p.storage_state = 'archived' and up.depth < 10000
    )
    select id from up order by depth desc limit 1
  `.execute(db);
  return result.rows[0]?.id ?? id;
};

/**
 * Folders still `archiving`/`restoring` whose newest archive or restore job ended failed with no
 * other one queued or running: what a worker that died during a job's last attempt leaves (the
 * queue marks such a job failed without running the handler's own failure path).
 */
export const findAbandonedFolderJobs = async (db: Db) => {
  const result = await sql<{ job_id: string; job_name: string; folder_id: string; error: string }>`
    select distinct on (n.id) j.id as job_id, j.name as job_name, n.id as folder_id,
      coalesce(j.last_error, 'The job stopped.') as error
    from jobs j
    join nodes n on n.id::text = j.payload->>'folderId'
    where j.status = 'failed'
      and (
        (j.name = ${archiveFolderJob.name} and n.storage_state = 'archiving')
        or (j.name = ${restoreFolderJob.name} and n.storage_state = 'restoring')
      )
      and not exists (
        select 1 from jobs a
        where a.name in (${archiveFolderJob.name}, ${restoreFolderJob.name})
          and a.status in ('queued', 'running')
          and a.payload->>'folderId' = j.payload->>'folderId'
      )
    order by n.id, j.created_at desc
  `.execute(db);
  return result.rows;
};
