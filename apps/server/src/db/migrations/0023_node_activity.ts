import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Each file's and folder's history. Triggers write it, so every path that changes a node (the
 * API, WebDAV, jobs) records the change in the statement that makes it and cannot forget to:
 * a change that rolls back leaves no entry. Who did it comes from the transaction's
 * `myfile.actor_user_id` setting where the use case knows a person, else from the owner for
 * what only the owner can do (sharing, links, restoring from the trash, archiving).
 *
 * Creation is not written here: it is the node's own `created_at`, read with the history, so a
 * new file costs no second row. Entries go with their node (cascade) and only the newest 100
 * per node are kept: each insert trims the ones past that.
 */
export const migration0023NodeActivity: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table node_activity (
        id uuid primary key default gen_random_uuid(),
        -- Insertion order: the clock can give two entries the same time (coarse on some hosts).
        seq bigint generated always as identity,
        node_id uuid not null references nodes(id) on delete cascade,
        -- Null when nobody is known (a link visitor, a job) or the account was removed.
        actor_user_id uuid references users(id) on delete set null,
        kind text not null,
        detail jsonb not null default '{}'::jsonb,
        created_at timestamptz not null default clock_timestamp()
      )
    `.execute(db);
    await sql`create index node_activity_node_idx on node_activity (node_id, created_at desc, seq desc)`.execute(
      db,
    );

    await sql`
      create function myfile_activity_actor() returns uuid language sql stable as $$
        select nullif(current_setting('myfile.actor_user_id', true), '')::uuid
      $$
    `.execute(db);

    await sql`
      create function myfile_node_activity_trim() returns trigger language plpgsql as $$
      begin
        delete from node_activity
        where id in (
          select id from node_activity where node_id = new.node_id
          order by created_at desc, seq desc offset 100
        );
        return null;
      end
      $$
    `.execute(db);
    await sql`
      create trigger node_activity_trim after insert on node_activity
      for each row execute function myfile_node_activity_trim()
    `.execute(db);

    await sql`
      create function myfile_node_changed() returns trigger language plpgsql as $$
      declare
        actor uuid := myfile_activity_actor();
      begin
        -- Trashing marks the whole subtree, then its root: only the root gets an entry.
        if not old.is_trash_root and new.is_trash_root then
          insert into node_activity (node_id, actor_user_id, kind)
          values (new.id, actor, 'trashed');
          return null;
        end if;
        if old.is_trash_root and not new.is_trash_root then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.id, coalesce(actor, new.owner_id), 'restored',
                  jsonb_build_object('name', new.name));
          return null;
        end if;
        if new.trashed_at is not null then
          return null;
        end if;
        if old.parent_id is distinct from new.parent_id then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.id, actor, 'moved', jsonb_build_object(
            'from', (select name from nodes where id = old.parent_id),
            'to', (select name from nodes where id = new.parent_id),
            'previousName', case when old.name <> new.name then old.name end,
            'name', new.name));
        elsif old.name <> new.name then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.id, actor, 'renamed',
                  jsonb_build_object('previousName', old.name, 'name', new.name));
        end if;
        if old.blob_key is distinct from new.blob_key and old.blob_key is not null
           and new.blob_key is not null then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.id, actor, 'new_version', jsonb_build_object('size', new.size));
        end if;
        if old.storage_state <> new.storage_state then
          if new.storage_state = 'archived' then
            insert into node_activity (node_id, actor_user_id, kind)
            values (new.id, coalesce(actor, new.owner_id), 'archived');
          elsif new.storage_state = 'hot' and old.storage_state = 'restoring' then
            insert into node_activity (node_id, actor_user_id, kind)
            values (new.id, coalesce(actor, new.owner_id), 'unarchived');
          end if;
        end if;
        return null;
      end
      $$
    `.execute(db);
    await sql`
      create trigger nodes_activity after update on nodes
      for each row
      when (old.name is distinct from new.name
         or old.parent_id is distinct from new.parent_id
         or old.is_trash_root is distinct from new.is_trash_root
         or old.blob_key is distinct from new.blob_key
         or old.storage_state is distinct from new.storage_state)
      execute function myfile_node_changed()
    `.execute(db);

    // A share or link removed with its node (a purge) has no node left to record it on.
    await sql`
      create function myfile_share_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.node_id, new.owner_id, 'shared',
                  jsonb_build_object('email', new.grantee_email, 'role', new.role));
        elsif tg_op = 'UPDATE' then
          if old.role <> new.role then
            insert into node_activity (node_id, actor_user_id, kind, detail)
            values (new.node_id, new.owner_id, 'share_changed',
                    jsonb_build_object('email', new.grantee_email, 'role', new.role));
          end if;
        elsif exists (select 1 from nodes where id = old.node_id) then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (old.node_id, old.owner_id, 'unshared',
                  jsonb_build_object('email', old.grantee_email));
        end if;
        return null;
      end
      $$
    `.execute(db);
    await sql`
      create trigger shares_activity after insert or update or delete on shares
      for each row execute function myfile_share_changed()
    `.execute(db);

    await sql`
      create function myfile_link_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.node_id, new.owner_id, 'link_created', jsonb_build_object('role', new.role));
        elsif old.revoked_at is null and new.revoked_at is not null then
          insert into node_activity (node_id, actor_user_id, kind, detail)
          values (new.node_id, new.owner_id, 'link_revoked', jsonb_build_object('role', new.role));
        end if;
        return null;
      end
      $$
    `.execute(db);
    await sql`
      create trigger share_links_activity after insert or update of revoked_at on share_links
      for each row execute function myfile_link_changed()
    `.execute(db);
  },
};
