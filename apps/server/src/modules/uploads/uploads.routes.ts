import multipart from '@fastify/multipart';
import { uploadedFilesSchema } from '@myfile/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidRequest } from '../../app/app-error.js';
import { refuseUploadsWhenDiskFull } from '../../disk-space/disk-space.hooks.js';
import type { DiskSpace } from '../../disk-space/disk-space.monitor.js';
import { actorOf } from '../access/access.request.js';
import { getAuth, requireAuth } from '../auth/auth.hooks.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { idParamsSchema } from '../nodes/nodes.schemas.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import {
  digestOf,
  readIdempotencyKey,
  runIdempotently,
} from '../idempotency/idempotency.usecases.js';
import { digestParts, type SentPart } from './uploads.idempotency.js';
import { onConflictModes } from './uploads.models.js';
import {
  sendTusResponse,
  toTusRequest,
  tusMethodOf,
  withChecksumAdvertised,
} from './uploads.tus-bridge.js';
import {
  clearChunkSpool,
  parseUploadChecksum,
  TUS_CHECKSUM_ALGORITHMS,
  verifyChunk,
} from './uploads.tus-checksum.js';
import {
  beginTusExchange,
  createTusServer,
  TUS_PATH,
  tusIdOfUrl,
  type TusDataStore,
} from './uploads.tus.js';
import { findTusUpload, terminateTusUpload, uploadFilesTogether } from './uploads.usecases.js';

export const uploadRoutes =
  ({
    deps,
    datastore,
    disk,
    maxUnfinishedUploads,
    chunkSpoolDir,
  }: {
    deps: FilesDeps;
    datastore: TusDataStore;
    disk: Pick<DiskSpace, 'state'>;
    maxUnfinishedUploads: number;
    /** Where chunks sent with `Upload-Checksum` wait for their verdict; this process's own. */
    chunkSpoolDir: string;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    await clearChunkSpool(chunkSpoolDir);
    await app.register(multipart, {
      // Our own metering enforces MAX_UPLOAD_BYTES (and the quota) while streaming.
      limits: { fileSize: deps.settings.maxUploadBytes + 1, files: 1000, fields: 100 },
      // Keep the client's name whole so "../x" is refused by our name rules, not silently cut.
      preservePath: true,
    });
    // tus discovery (OPTIONS) is open, as the protocol expects; everything else is signed in.
    const auth = requireAuth('write');
    app.addHook('preHandler', async function (request, reply) {
      if (request.method !== 'OPTIONS') await auth.call(this, request, reply);
    });
    const refuseWhenDiskFull = refuseUploadsWhenDiskFull(disk);

    app.post(
      '/api/folders/:id/files',
      {
        preHandler: refuseWhenDiskFull,
        schema: {
          tags: ['files'],
          summary:
            'Upload one or more files (multipart/form-data), streamed into the store; all or nothing',
          consumes: ['multipart/form-data'],
          description:
            'The files of one request are stored all together or not at all: if any part fails (its name, a conflict under `onConflict=fail`, the quota, the size limit, the store, the connection), none of them is kept and the error names the failing file. With an `Idempotency-Key` header (1 to 255 visible ASCII characters, e.g. a UUID), a retry within 24 hours with the same key, folder, `onConflict` and files (names and contents) answers the first 201 again (`Idempotent-Replayed: true`) instead of storing a copy; the same key with a different request is refused with 422 `idempotency_key_reused`, and while the first request still runs with 409 `conflict`. A request that failed does not use up its key. With `onConflict=replace`, an `If-Match` header (the `ETag` of `GET /api/files/{id}`, a list of them, or `*`) makes the replace conditional: every file it would replace must still be at one of those versions (`*`: must exist), checked again with the file locked as the new content is written, so of two replaces sent with the same `If-Match` one wins; otherwise 412 `precondition_failed` and nothing is stored or charged. `If-Match` with another `onConflict` is 400.',
          params: idParamsSchema,
          headers: z.object({
            'idempotency-key': z.string().optional(),
            'if-match': z.string().optional(),
          }),
          querystring: z.object({ onConflict: z.enum(onConflictModes).default('rename') }),
          response: { 201: uploadedFilesSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw invalidRequest('Send multipart/form-data.', 'body');
        const key = readIdempotencyKey(request.headers['idempotency-key']);
        const upload = async () => {
          const stored = await uploadFilesTogether({
            ...deps,
            actor: actorOf(request),
            folderId: request.params.id,
            onConflict: request.query.onConflict,
            parts: request.files(),
            ifMatch: request.headers['if-match'],
          });
          return {
            status: 201,
            body: { files: stored.map(({ file }) => toNodeDto(file)) },
            stored,
          };
        };
        if (!key) return reply.status(201).send((await upload()).body);
        const answer = await runIdempotently({
          db: deps.db,
          userId: getAuth(request).userId,
          key,
          target: `POST /api/folders/${request.params.id}/files?onConflict=${request.query.onConflict}${
            request.headers['if-match'] === undefined
              ? ''
              : ` If-Match: ${request.headers['if-match']}`
          }`,
          // What the request sent, for a retry to be compared with: only with a key.
          work: async () => {
            const { stored, ...answer } = await upload();
            const sent: SentPart[] = stored.map(({ file, sentName }) => ({
              name: sentName,
              sha256: file.sha256 ?? '',
            }));
            return { ...answer, bodyDigest: digestOf(sent) };
          },
          digestBody: async () => digestOf(await digestParts(request.files())),
        });
        if (answer.replayed) reply.header('idempotent-replayed', 'true');
        // Only a 201 is ever remembered: a failed upload gives its key back.
        return reply.status(201).send(answer.body);
      },
    );

    // tus 1.0: the tus server answers once our auth (and CSRF) passed, through Fastify.
    const tus = createTusServer({ ...deps, datastore, maxUnfinishedUploads });
    app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) =>
      done(null),
    );
    for (const url of [TUS_PATH, `${TUS_PATH}/:uploadId`]) {
      app.route({
        // OPTIONS is discovery of the server's tus support, asked of the creation URL.
        method: url === TUS_PATH ? ['OPTIONS', 'POST'] : ['POST', 'HEAD', 'PATCH', 'DELETE'],
        url,
        // A bare OPTIONS is tus discovery, not a CORS preflight: it reaches the handler.
        config: { cors: { strictPreflight: false, preflightContinue: true } },
        // HEAD and DELETE write nothing; DELETE frees space.
        preHandler: async (request, reply) => {
          const method = tusMethodOf(request);
          if (method === 'POST' || method === 'PATCH') {
            await refuseWhenDiskFull.call(app, request, reply);
          }
        },
        schema: {
          tags: ['uploads'],
          summary: 'Resumable upload (tus 1.0)',
          description:
            'tus 1.0 with the creation, creation-with-upload, termination, expiration and checksum extensions. A chunk may carry `Upload-Checksum: <sha1|sha256> <base64 digest>`: one that does not match is discarded, the offset unchanged, with 460 `checksum_mismatch`; another algorithm is 400 `invalid_request`.',
          params: z.object({ uploadId: z.string().max(200).optional() }),
        },
        handler: async (request, reply) => {
          const method = tusMethodOf(request);
          if (method === 'OPTIONS') {
            const discovery = await tus.handleWeb(toTusRequest(request, method));
            return sendTusResponse(
              reply,
              withChecksumAdvertised(discovery, TUS_CHECKSUM_ALGORITHMS),
            );
          }
          reply.header('tus-resumable', '1.0.0');
          const ownerId = getAuth(request).userId;
          const uploadId =
            request.params.uploadId === undefined
              ? undefined
              : tusIdOfUrl(datastore, request.params.uploadId);
          // A finished upload's staging data is gone; a client retrying its last request (its
          // answer was lost) still learns that everything arrived, and which file it became.
          const finished = uploadId
            ? await findTusUpload({ db: deps.db, ownerId, id: uploadId })
            : undefined;
          if (finished?.file_id && method !== 'DELETE') {
            return reply
              .status(method === 'HEAD' ? 200 : 204)
              .headers({
                'tus-resumable': '1.0.0',
                'upload-offset': finished.size,
                'upload-length': finished.size,
                'x-file-id': finished.file_id,
                'cache-control': 'no-store',
              })
              .send();
          }
          // tus checksum extension: a chunk that names its digest reaches tus only if it matches.
          const checksum = request.headers['upload-checksum'];
          const carriesChunk =
            method === 'PATCH' ||
            request.headers['content-type'] === 'application/offset+octet-stream';
          const verified =
            typeof checksum === 'string' && carriesChunk
              ? await verifyChunk({
                  dir: chunkSpoolDir,
                  body: request.raw,
                  checksum: parseUploadChecksum(checksum),
                })
              : undefined;
          const tusRequest = toTusRequest(request, method, verified?.body);
          const exchange = beginTusExchange(tusRequest, ownerId, request.headers['if-match']);
          const response = await tus.handleWeb(tusRequest).finally(() => verified?.release());
          if (exchange.finishedUploadId) {
            await datastore.remove(exchange.finishedUploadId).catch((error: unknown) => {
              request.log.warn({ err: error }, 'staged upload not removed');
            });
          }
          if (method === 'DELETE' && response.status === 204 && uploadId) {
            await terminateTusUpload({ db: deps.db, ownerId, id: uploadId });
          }
          return sendTusResponse(reply, response);
        },
      });
    }
  };
