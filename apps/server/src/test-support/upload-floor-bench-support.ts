import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { createBlobKey } from '../blob-storage/blob-storage.keys.js';
import type { BlobStorage } from '../blob-storage/blob-storage.types.js';
import type { Db } from '../db/database.js';

/**
 * The least any upload API built like ours can do per file: Fastify and its multipart parser,
 * the body streamed into the API's own blob store (size and SHA-256 on the way, fsync, rename
 * into place, the directory synced) and one row inserted into the API's own database. No
 * authentication, access check, quota, name rules, content sniffing or event. Against the bare
 * Node server, its ratio is the most an upload route on this stack can reach on the machine;
 * against it, the API's shows what the API's own work costs.
 */
export const startUploadFloorServer = async ({
  blobStorage,
  db,
}: {
  blobStorage: BlobStorage;
  db: Db;
}) => {
  await sql`create table if not exists bench_upload_floor (
    key text primary key,
    name text not null,
    size bigint not null,
    sha256 text not null
  )`.execute(db);
  const app = Fastify();
  await app.register(multipart);
  app.post('/', async (request, reply) => {
    for await (const part of request.files()) {
      const key = createBlobKey();
      const { size, sha256 } = await blobStorage.put({ key, body: part.file });
      await sql`insert into bench_upload_floor (key, name, size, sha256)
        values (${key}, ${part.filename}, ${size}, ${sha256})`.execute(db);
    }
    return reply.status(201).send({});
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The floor server has no port.');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: async () => {
      await app.close();
      await sql`drop table bench_upload_floor`.execute(db);
    },
  };
};
