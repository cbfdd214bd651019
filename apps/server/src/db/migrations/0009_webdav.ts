import { sql, type Kysely, type Migration } from 'kysely';

/**
 * WebDAV dead properties: what a client set with PROPPATCH on a file or folder, kept as the
 * property's whole XML element. They follow the node (a MOVE keeps its id) and go with it.
 */
export const migration0009Webdav: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table dav_properties (
        node_id uuid not null references nodes(id) on delete cascade,
        namespace text not null,
        name text not null,
        xml text not null,
        primary key (node_id, namespace, name)
      )
    `.execute(db);
  },
};
