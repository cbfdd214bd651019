import type { FastifyReply } from 'fastify';
import type { Actor } from '../access/access.models.js';
import { contentDisposition } from '../files/files.models.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { openFolderZip } from './downloads.zip.js';

/** Streams a folder's zip to whoever `actor` is (a user, or a share link's visitor). */
export const sendFolderZip = async (
  reply: FastifyReply,
  { deps, actor, id }: { deps: FilesDeps; actor: Actor; id: string },
) => {
  // Closing the connection stops the walk and the reads: a cancelled download costs nothing.
  const abort = new AbortController();
  reply.raw.on('close', () => abort.abort());
  const { name, stream } = await openFolderZip({ ...deps, actor, id, signal: abort.signal });
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) stream.destroy();
  });
  return reply
    .header('content-type', 'application/zip')
    .header('content-disposition', contentDisposition('attachment', `${name}.zip`))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(stream);
};
