import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Unfinished resumable uploads hold staged bytes for up to a day, so their declared lengths are
 * reserved against the quota (and counted) on the usage row, where one statement can check and
 * take a reservation atomically. The reservation is held by the folder's owner, whose quota the
 * file will use (an editor may upload into someone else's folder), and is kept on the upload so
 * it is given back to the same row. Uploads already unfinished when this runs are reserved too.
 */
export const migration0012UploadReservations: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table tus_uploads add column quota_user_id uuid references users(id) on delete cascade`.execute(
      db,
    );
    await sql`
      update tus_uploads
      set quota_user_id = coalesce(
        (select nodes.owner_id from nodes where nodes.id = tus_uploads.folder_id), owner_id
      )
    `.execute(db);
    await sql`alter table tus_uploads alter column quota_user_id set not null`.execute(db);
    await sql`
      alter table storage_usage
        add column reserved_bytes bigint not null default 0 check (reserved_bytes >= 0),
        add column reserved_uploads integer not null default 0 check (reserved_uploads >= 0)
    `.execute(db);
    await sql`
      update storage_usage
      set reserved_bytes = unfinished.bytes, reserved_uploads = unfinished.uploads
      from (
        select quota_user_id, sum(size)::bigint as bytes, count(*)::int as uploads
        from tus_uploads where completed_at is null group by quota_user_id
      ) as unfinished
      where storage_usage.user_id = unfinished.quota_user_id
    `.execute(db);
  },
};
