import { createReadStream } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { ZipFile } from 'yazl';
import type { Db } from '../db/database.js';
import type { Actor, ShareRole } from '../modules/access/access.models.js';
import { roleQuery } from '../modules/access/access.repository.js';
import { encodeTimeCursor, exactTime } from '../modules/nodes/time-cursor.js';

/** One share row, straight into the table (the benches build thousands). */
export const insertShare = async (
  db: Db,
  {
    nodeId,
    ownerId,
    grantee,
    role,
  }: {
    nodeId: string;
    ownerId: string;
    grantee: { userId: string; email: string };
    role: ShareRole;
  },
) => {
  const now = new Date();
  await db
    .insertInto('shares')
    .values({
      id: uuidv7(),
      node_id: nodeId,
      owner_id: ownerId,
      grantee_id: grantee.userId,
      grantee_email: grantee.email.toLowerCase(),
      role,
      created_at: now,
      updated_at: now,
    })
    .execute();
};

/**
 * Shares every file of a folder with `grantee`, one second apart, in one statement: a "Shared
 * with me" as long as the folder. Answers the cursor of a page `fromEnd` shares before its end.
 */
export const shareEveryFileOf = async (
  db: Db,
  {
    folderId,
    grantee,
    fromEnd,
  }: { folderId: string; grantee: { userId: string; email: string }; fromEnd: number },
) => {
  await sql`
    insert into shares (id, node_id, owner_id, grantee_id, grantee_email, role, created_at,
                        updated_at)
    select gen_random_uuid(), n.id, n.owner_id, ${grantee.userId}, ${grantee.email.toLowerCase()},
           'viewer', now() - make_interval(secs => row_number() over (order by n.sort_key)), now()
    from nodes n where n.parent_id = ${folderId} and not n.is_folder
  `.execute(db);
  await analyze(db);
  const row = await db
    .selectFrom('shares')
    .select([exactTime('created_at').as('at'), 'id'])
    .where('grantee_id', '=', grantee.userId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .offset(fromEnd)
    .limit(1)
    .executeTakeFirstOrThrow();
  return encodeTimeCursor({ at: row.at, id: row.id });
};

/** Fresh planner statistics after a bulk insert. */
export const analyze = async (db: Db) => {
  await sql`analyze`.execute(db);
};

/**
 * The tables a role resolution's plan reads by sequential scan (the goal: none; a table of a
 * few hundred rows may be scanned by choice of the planner, which the bench shows as it is).
 */
export const seqScansInRolePlan = async (
  db: Db,
  { actor, nodeId }: { actor: Actor; nodeId: string },
) => {
  const plan = await sql<{
    'QUERY PLAN': string;
  }>`explain ${roleQuery(actor, nodeId)}`.execute(db);
  const scans = plan.rows.flatMap((row) => /Seq Scan on (\w+)/.exec(row['QUERY PLAN'])?.[1] ?? []);
  return scans.length === 0 ? 'none' : scans.join(', ');
};

export type ZipSource = { name: string; path: string; size: number; mtime: Date };

/**
 * A bare Node server streaming files from disk into the same kind of zip the API writes (yazl,
 * stored entries, each file opened when the archive reaches it), with no database, no
 * authorization and no blob-store layer: the zip bench's baseline.
 */
export const startBareZipServer = async (files: readonly ZipSource[], root: string) => {
  const server = http.createServer((_request, response) => {
    const zip = new ZipFile();
    for (const file of files) {
      zip.addReadStreamLazy(
        `${root}/${file.name}`,
        { size: file.size, mtime: file.mtime, compress: false },
        (callback) => callback(null, createReadStream(file.path)),
      );
    }
    zip.end();
    response.setHeader('content-type', 'application/zip');
    pipeline(zip.outputStream, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/zip`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
};
