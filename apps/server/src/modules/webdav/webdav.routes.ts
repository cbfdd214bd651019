import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, notFound } from '../../app/app-error.js';
import { sendError, toErrorAnswer } from '../../app/error-handler.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import type { RequestAuth } from '../auth/auth.hooks.js';
import { contentDisposition, responseContentType } from '../files/files.models.js';
import { openFileContent } from '../files/files.usecases.js';
import type { FilesDeps } from '../nodes/nodes.usecases.js';
import { resolveDavTarget, type DavTarget } from './webdav.access.js';
import { authenticateDav } from './webdav.auth.js';
import { parseLockinfo, parsePropfind, parseProppatch, readXmlBody } from './webdav.bodies.js';
import {
  activeLockXml,
  parseLockDepth,
  parseLockTimeout,
  parseLockTokenHeader,
} from './webdav.locks.models.js';
import { deleteLocks } from './webdav.locks.repository.js';
import {
  checkIfHeader,
  ensureLockTokensSubmitted,
  lockResource,
  readLockRequest,
  refreshLocks,
  unlockResource,
  type DavChange,
  type LockRequest,
} from './webdav.locks.usecases.js';
import { DavError, davError, forbiddenHere, methodNotAllowed } from './webdav.errors.js';
import { DAV_PREFIX, hrefOf, parseDavPath, parseDestination, pathnameOf } from './webdav.paths.js';
import { davEtagOf, propstat } from './webdav.properties.js';
import { propfindMultistatus } from './webdav.propfind.js';
import {
  checkPreconditions,
  copyResource,
  deleteToTrash,
  makeCollection,
  moveResource,
  patchProperties,
  putFile,
} from './webdav.usecases.js';
import { emptyTag, escapeXml, XML_DECLARATION } from './webdav.xml.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` turns @fastify/cors off for one route; an object overrides its options there. */
    cors?: false | { strictPreflight?: boolean; preflightContinue?: boolean };
  }
}

const METHODS = [
  'OPTIONS',
  'PROPFIND',
  'PROPPATCH',
  'GET',
  'HEAD',
  'PUT',
  'MKCOL',
  'DELETE',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
] as const;

type Method = (typeof METHODS)[number];

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * What WebDAV wants from an error: the RFC's status codes where they differ from the REST
 * API's (an archived folder is 403 Forbidden, a full quota 507 Insufficient Storage), a
 * `<D:error>` body for a named precondition, else our usual JSON error.
 */
const sendDavError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  if (error instanceof DavError && error.condition) {
    return reply
      .status(error.statusCode)
      .type('application/xml; charset=utf-8')
      .send(
        `${XML_DECLARATION}<D:error xmlns:D="DAV:">${
          error.conditionXml
            ? `<D:${error.condition}>${error.conditionXml}</D:${error.condition}>`
            : `<D:${error.condition}/>`
        }</D:error>`,
      );
  }
  const answer = toErrorAnswer(error);
  if (answer.statusCode >= 500) request.log.error({ err: error }, 'WebDAV request failed');
  if (isAppError(error) && error.headers) reply.headers(error.headers);
  const davStatus: Partial<Record<string, number>> = {
    folder_archived: 403,
    file_archived: 403,
    quota_exceeded: 507,
  };
  return sendError(reply, { ...answer, statusCode: davStatus[answer.code] ?? answer.statusCode });
};

const propfindDepth = (value: string | undefined): 0 | 1 => {
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw forbiddenHere(
    'PROPFIND with Depth: infinity (or no Depth) is not supported; ask Depth: 0 or 1.',
    'propfind-finite-depth',
  );
};

const copyDepth = (value: string | undefined): 0 | 'infinity' => {
  if (value === undefined || value.toLowerCase() === 'infinity') return 'infinity';
  if (value === '0') return 0;
  throw davError(400, 'invalid_request', 'COPY takes Depth: 0 or infinity.');
};

/** One authenticated WebDAV request: who, what its If header submits, and the Host it named. */
type DavCall = { auth: RequestAuth; lockRequest: LockRequest; host: string | undefined };

const hasBody = (request: FastifyRequest) =>
  (header(request, 'content-length') ?? '0') !== '0' ||
  header(request, 'transfer-encoding') !== undefined;

/** WebDAV at `/dav/`: the caller's files by path, for rclone, file managers and sync tools. */
export const webdavRoutes =
  ({ deps, authDeps }: { deps: FilesDeps; authDeps: AuthDeps }): FastifyPluginAsync =>
  async (app) => {
    // Fastify knows the WebDAV methods but routes only the common ones until told.
    for (const method of ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK']) {
      if (!app.supportedMethods.includes(method)) app.addHttpMethod(method, { hasBody: true });
    }
    // Bodies are streams the handlers read themselves: a PUT goes to the blob store unbuffered.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    app.setErrorHandler(sendDavError);

    const resolve = (auth: RequestAuth, names: string[]) =>
      resolveDavTarget({ ...deps, auth, names });

    /** A tagged If list's resource: a URL on this server inside /dav/, else nothing. */
    const resolveTag = (call: DavCall) => async (tag: string) => {
      let url: URL;
      try {
        url = new URL(tag, `http://${call.host ?? 'localhost'}`);
      } catch {
        return undefined;
      }
      if (call.host && url.host !== call.host) return undefined;
      let names: string[];
      try {
        names = parseDavPath(url.pathname);
      } catch {
        return undefined;
      }
      return resolve(call.auth, names);
    };

    /** The request URI's target, once its If header (if any) holds for it: else 412. */
    const requestTarget = async (request: FastifyRequest, call: DavCall) => {
      const target = await resolve(call.auth, parseDavPath(pathnameOf(request.url)));
      await checkIfHeader({
        db: deps.db,
        lockRequest: call.lockRequest,
        target,
        resolveTag: resolveTag(call),
      });
      return target;
    };

    const guard = (call: DavCall, changes: DavChange[]) =>
      ensureLockTokensSubmitted({ db: deps.db, lockRequest: call.lockRequest, changes });

    const existing = (target: DavTarget) => {
      if (!target.node) throw notFound('Nothing exists at this path.');
      return target.node;
    };

    const options = (reply: FastifyReply) =>
      reply
        .status(200)
        .headers({
          dav: '1, 2',
          allow: METHODS.join(', '),
          'ms-author-via': 'DAV',
          'content-length': '0',
        })
        .send();

    const handlers: Record<
      Exclude<Method, 'OPTIONS'>,
      (request: FastifyRequest, reply: FastifyReply, call: DavCall) => Promise<unknown>
    > = {
      PROPFIND: async (request, reply, call) => {
        const depth = propfindDepth(header(request, 'depth'));
        const target = await requestTarget(request, call);
        const node = existing(target);
        const propRequest = parsePropfind(await readXmlBody(request.raw));
        const body = Readable.from(
          propfindMultistatus({ db: deps.db, target, node, depth, request: propRequest }),
        );
        return reply.status(207).type('application/xml; charset=utf-8').send(body);
      },

      PROPPATCH: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        const node = existing(target);
        await guard(call, [{ target, change: 'write' }]);
        const operations = parseProppatch(await readXmlBody(request.raw));
        const results = await patchProperties({ db: deps.db, target, operations });
        const names = target.chain.slice(1).map((ancestor) => ancestor.name);
        const byStatus = new Map<number, string[]>();
        for (const { name, status } of results) {
          byStatus.set(status, [...(byStatus.get(status) ?? []), emptyTag(name)]);
        }
        const propstats = [...byStatus].map(([status, props]) => propstat(props, status)).join('');
        return reply
          .status(207)
          .type('application/xml; charset=utf-8')
          .send(
            `${XML_DECLARATION}<D:multistatus xmlns:D="DAV:"><D:response><D:href>${escapeXml(hrefOf(names, node.is_folder))}</D:href>${propstats}</D:response></D:multistatus>`,
          );
      },

      GET: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        const node = existing(target);
        if (node.is_folder) {
          return reply
            .type('text/plain; charset=utf-8')
            .send('This is a folder. Open it with a WebDAV client to see what is inside.\n');
        }
        checkPreconditions(node, { ifMatch: header(request, 'if-match') });
        const content = await openFileContent({
          ...deps,
          actor: target.actor,
          id: node.id,
          range: header(request, 'range'),
          ifNoneMatch: header(request, 'if-none-match'),
          ifRange: header(request, 'if-range'),
        });
        reply.headers({
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-cache',
          'accept-ranges': 'bytes',
          'last-modified': node.updated_at.toUTCString(),
        });
        if (content.status === 304) return reply.status(304).header('etag', content.etag).send();
        if (content.status === 416) {
          return reply.status(416).header('content-range', `bytes */${content.size}`).send();
        }
        reply
          .status(content.status)
          .header('etag', content.etag)
          .header('content-length', content.length)
          .header('content-type', responseContentType(content.contentType))
          .header('content-disposition', contentDisposition('attachment', content.name))
          .header('content-security-policy', "default-src 'none'; sandbox");
        if (content.range) {
          reply.header(
            'content-range',
            `bytes ${content.range.start}-${content.range.end}/${content.size}`,
          );
        }
        return reply.send(content.body);
      },

      // What GET would answer, from the row alone: the blob is not opened.
      HEAD: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        const node = existing(target);
        if (node.is_folder) return reply.type('text/plain; charset=utf-8').send();
        const etag = davEtagOf(node);
        const ifNoneMatch = header(request, 'if-none-match');
        reply.headers({
          etag,
          'accept-ranges': 'bytes',
          'last-modified': node.updated_at.toUTCString(),
        });
        if (ifNoneMatch !== undefined) {
          try {
            checkPreconditions(node, { ifNoneMatch });
          } catch {
            return reply.status(304).send();
          }
        }
        return reply
          .headers({
            'content-length': String(node.size),
            'content-type': responseContentType(node.content_type),
          })
          .send();
      },

      PUT: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        await guard(call, [{ target, change: target.node ? 'write' : 'create' }]);
        const ifNoneMatch = header(request, 'if-none-match');
        const ifNoneMatchAny = ifNoneMatch?.trim() === '*';
        checkPreconditions(target.node, { ifMatch: header(request, 'if-match'), ifNoneMatch });
        const length = header(request, 'content-length');
        const { file, created } = await putFile({
          ...deps,
          target,
          body: request.raw,
          declaredSize: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
          ifNoneMatchAny,
        });
        return reply
          .status(created ? 201 : 204)
          .header('etag', davEtagOf(file))
          .send();
      },

      MKCOL: async (request, reply, call) => {
        if (hasBody(request)) {
          throw davError(415, 'unsupported_media_type', 'MKCOL with a body is not supported.');
        }
        const target = await requestTarget(request, call);
        if (!target.node) await guard(call, [{ target, change: 'create' }]);
        await makeCollection({ ...deps, target });
        return reply.status(201).send();
      },

      DELETE: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        existing(target);
        checkPreconditions(target.node, { ifMatch: header(request, 'if-match') });
        const ending = await guard(call, [{ target, change: 'remove' }]);
        await deleteToTrash({ ...deps, target });
        await deleteLocks(deps.db, { tokens: ending });
        return reply.status(204).send();
      },

      COPY: async (request, reply, call) => transfer(request, reply, call, 'COPY'),
      MOVE: async (request, reply, call) => transfer(request, reply, call, 'MOVE'),

      LOCK: async (request, reply, call) => {
        const target = await requestTarget(request, call);
        const timeoutSeconds = parseLockTimeout(header(request, 'timeout'));
        const body = await readXmlBody(request.raw);
        if (body.trim() === '') {
          const refreshed = await refreshLocks({
            db: deps.db,
            target,
            lockRequest: call.lockRequest,
            timeoutSeconds,
          });
          return sendLockDiscovery(
            reply.status(200),
            refreshed.map(({ lock, rootHref }) => activeLockXml(lock, rootHref)).join(''),
          );
        }
        const { scope, ownerXml } = parseLockinfo(body);
        const { lock, rootHref, created } = await lockResource({
          ...deps,
          target,
          lockRequest: call.lockRequest,
          scope,
          depth: parseLockDepth(header(request, 'depth')),
          ownerXml,
          timeoutSeconds,
        });
        return sendLockDiscovery(
          reply.status(created ? 201 : 200).header('lock-token', `<${lock.token}>`),
          activeLockXml(lock, rootHref),
        );
      },

      UNLOCK: async (request, reply, call) => {
        const token = parseLockTokenHeader(header(request, 'lock-token'));
        const target = await requestTarget(request, call);
        await unlockResource({ db: deps.db, target, lockRequest: call.lockRequest, token });
        return reply.status(204).send();
      },
    };

    const sendLockDiscovery = (reply: FastifyReply, activeLocks: string) =>
      reply
        .type('application/xml; charset=utf-8')
        .send(
          `${XML_DECLARATION}<D:prop xmlns:D="DAV:"><D:lockdiscovery>${activeLocks}</D:lockdiscovery></D:prop>`,
        );

    const transfer = async (
      request: FastifyRequest,
      reply: FastifyReply,
      call: DavCall,
      method: 'COPY' | 'MOVE',
    ) => {
      const source = await requestTarget(request, call);
      existing(source);
      const destination = await resolve(
        call.auth,
        parseDestination(header(request, 'destination'), header(request, 'host')),
      );
      const overwrite = header(request, 'overwrite')?.trim().toUpperCase() !== 'F';
      const onDestination: DavChange = {
        target: destination,
        change: destination.node && overwrite ? 'remove' : 'create',
      };
      const ending = await guard(
        call,
        method === 'MOVE' ? [{ target: source, change: 'remove' }, onDestination] : [onDestination],
      );
      const depthHeader = header(request, 'depth');
      const result =
        method === 'COPY'
          ? await copyResource({
              ...deps,
              source,
              destination,
              overwrite,
              depth: copyDepth(depthHeader),
            })
          : await (async () => {
              if (depthHeader !== undefined && depthHeader.toLowerCase() !== 'infinity') {
                throw davError(400, 'invalid_request', 'MOVE takes Depth: infinity only.');
              }
              return moveResource({ ...deps, source, destination, overwrite });
            })();
      // A lock belongs to a URL: it does not follow a moved node, nor cover a copy (§7.5, §7.6).
      if (method === 'MOVE') await deleteLocks(deps.db, { tokens: ending });
      return reply.status(result.replaced ? 204 : 201).send();
    };

    const route = async (request: FastifyRequest, reply: FastifyReply) => {
      const method = request.method as Method;
      // Clients probe OPTIONS before they send credentials; it reveals nothing about anyone's files.
      if (method === 'OPTIONS') return options(reply);
      const auth = await authenticateDav({ ...authDeps, request });
      if (auth.rateLimitHeaders) reply.headers(auth.rateLimitHeaders);
      const lockRequest = readLockRequest(auth.userId, header(request, 'if'));
      return handlers[method](request, reply, { auth, lockRequest, host: header(request, 'host') });
    };

    for (const url of [DAV_PREFIX, `${DAV_PREFIX}/*`]) {
      // No CORS here: /dav/ is for WebDAV clients, never for another site's scripts; and an
      // OPTIONS is a client's capability probe, not a browser preflight.
      app.route({
        method: [...METHODS],
        url,
        exposeHeadRoute: false,
        config: { cors: false },
        handler: route,
      });
      app.route({
        method: ['POST', 'PATCH'],
        url,
        config: { cors: false },
        handler: async () => {
          throw methodNotAllowed('This method is not supported here.');
        },
      });
    }
  };
