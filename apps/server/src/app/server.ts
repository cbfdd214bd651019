import { folderCopyRoutes } from '../modules/folder-copy/folder-copy.routes.js';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createAuthDeps } from '../modules/auth/auth.deps.js';
import { registerAuth } from '../modules/auth/auth.plugin.js';
import { eventsRoutes } from '../modules/events/events.routes.js';
import { jobsRoutes } from '../modules/jobs/jobs.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { sessionsRoutes } from '../modules/auth/sessions/sessions.routes.js';
import { createOidcDeps } from '../modules/oidc/oidc.deps.js';
import { oidcRoutes } from '../modules/oidc/oidc.routes.js';
import { registerPasswordSignInSwitch } from '../modules/oidc/password-sign-in.switch.js';
import { tokensRoutes } from '../modules/auth/tokens/tokens.routes.js';
import { recentAuthRoutes } from '../modules/auth/recent-auth/recent-auth.routes.js';
import { passkeysRoutes } from '../modules/passkeys/passkeys.routes.js';
import { twoFactorRoutes } from '../modules/two-factor/two-factor.routes.js';
import { fileRoutes } from '../modules/files/files.routes.js';
import { folderRoutes } from '../modules/folders/folders.routes.js';
import { pathRoutes } from '../modules/paths/paths.routes.js';
import { archiveRoutes } from '../modules/archive/archive.routes.js';
import { bulkRoutes } from '../modules/bulk/bulk.routes.js';
import { healthRoutes } from '../modules/health/health.routes.js';
import { toFilesDeps } from '../modules/nodes/nodes.usecases.js';
import { downloadRoutes } from '../modules/downloads/downloads.routes.js';
import { recentRoutes } from '../modules/recent/recent.routes.js';
import { searchRoutes } from '../modules/search/search.routes.js';
import { starsRoutes } from '../modules/stars/stars.routes.js';
import { activityRoutes } from '../modules/activity/activity.routes.js';
import { sharingRoutes } from '../modules/sharing/sharing.routes.js';
import { sharedByMeRoutes } from '../modules/sharing/shared-by-me.routes.js';
import { linkPageRoutes } from '../modules/links/links.page.js';
import { linkEventRoutes } from '../modules/links/links.events-routes.js';
import { linkRoutes } from '../modules/links/links.routes.js';
import { linkVisitorRoutes } from '../modules/links/links.visitor-routes.js';
import { thumbnailRoutes } from '../modules/thumbnails/thumbnails.routes.js';
import { trashRoutes } from '../modules/trash/trash.routes.js';
import { uploadRoutes } from '../modules/uploads/uploads.routes.js';
import { usageRoutes } from '../modules/usage/usage.routes.js';
import { webdavRoutes } from '../modules/webdav/webdav.routes.js';
import { versionRoutes } from '../modules/versions/versions.routes.js';
import { adminRoutes } from '../modules/admin/admin.routes.js';
import { accountRoutes } from '../modules/account/account.routes.js';
import { createTusDataStore } from '../modules/uploads/uploads.tus.js';
import { fastifyTrustProxy } from '../config/trust-proxy.js';
import { isDiskFullError } from '../disk-space/disk-space.errors.js';
import type { AppContext } from './app-context.js';
import { registerErrorHandlers } from './error-handler.js';
import { registerOpenApi, registerSecurityPlugins } from './http-plugins.js';
import { registerJsonCompression } from './json-compression.js';
import { responseSerializerCompiler } from './response-serializer.js';
import { requestLog } from './request-log.js';
import { registerUnreadBodyDrain } from './unread-body.js';
import { inlineScriptHashes, isSpaRoute, registerWebApp, sendIndex } from './web-app.js';

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Builds the HTTP app on an already opened context. Tests call this with `app.inject`;
 * the CLI calls it and listens. Closing the app does not close the context.
 * The app is returned before `ready()`, so a test may still add a route of its own.
 */
export const createServer = async (
  context: AppContext,
  /** The built web app to serve at `/`; the CLI passes `findWebDir()`. */
  { webDir }: { webDir?: string | undefined } = {},
): Promise<App> => {
  const { config, database, blobStorage } = context;
  const logger: FastifyBaseLogger = context.logger;
  const app = Fastify({
    loggerInstance: logger,
    logController: requestLog(logger),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
    // A load balancer's id is kept so one request can be followed across hops.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  // A callback hook, not an async one: no promise per request for one header.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // A write that found the disk full has the disk read again at once, not at the next tick.
  app.addHook('onError', async (_request, _reply, error) => {
    if (isDiskFullError(error)) void context.disk.checkNow();
  });
  registerErrorHandlers(app, {
    ...(webDir
      ? { spaFallback: (request, reply) => (isSpaRoute(request) ? sendIndex(reply) : undefined) }
      : {}),
  });
  registerUnreadBodyDrain(app);
  await registerSecurityPlugins(app, config, {
    scriptHashes: webDir ? await inlineScriptHashes(webDir) : [],
  });
  registerJsonCompression(app);
  await registerOpenApi(app);
  const authDeps = createAuthDeps(context);
  await registerAuth(app, {
    deps: authDeps,
    redis: context.redis,
    redisPrefix: config.REDIS_KEY_PREFIX,
  });
  registerPasswordSignInSwitch(app, config.PASSWORD_SIGNIN);
  await app.register(healthRoutes({ database, blobStorage, disk: context.disk }));
  await app.register(authRoutes(authDeps), { prefix: '/api/auth' });
  await app.register(sessionsRoutes(authDeps), { prefix: '/api/auth' });
  await app.register(tokensRoutes(authDeps), { prefix: '/api/auth' });
  await app.register(twoFactorRoutes(authDeps), { prefix: '/api/auth' });
  await app.register(recentAuthRoutes(authDeps), { prefix: '/api/auth' });
  const oidcDeps = createOidcDeps(context, authDeps);
  await app.register(passkeysRoutes(oidcDeps), { prefix: '/api/auth' });
  await app.register(oidcRoutes(oidcDeps), { prefix: '/api/auth/oidc' });
  const filesDeps = toFilesDeps(context);
  await app.register(folderRoutes({ ...filesDeps, pages: context.folderPages }));
  await app.register(pathRoutes(filesDeps));
  await app.register(
    archiveRoutes({ ...filesDeps, coldDriver: context.archiveStorage.driverName }),
  );
  await app.register(fileRoutes(filesDeps));
  await app.register(folderCopyRoutes(filesDeps));
  await app.register(thumbnailRoutes(filesDeps));
  await app.register(versionRoutes(filesDeps));
  await app.register(
    uploadRoutes({
      deps: filesDeps,
      datastore: await createTusDataStore(context.config),
      disk: context.disk,
      maxUnfinishedUploads: context.config.MAX_UNFINISHED_UPLOADS,
      chunkSpoolDir: path.join(context.config.DATA_DIR, 'tus-chunks'),
    }),
  );
  await app.register(trashRoutes(filesDeps));
  await app.register(searchRoutes({ ...filesDeps, language: config.SEARCH_LANGUAGE }));
  await app.register(starsRoutes({ db: database.db }));
  await app.register(activityRoutes({ db: database.db }));
  await app.register(recentRoutes({ db: database.db }));
  await app.register(usageRoutes(filesDeps));
  await app.register(bulkRoutes(filesDeps));
  await app.register(downloadRoutes(filesDeps));
  await app.register(
    sharingRoutes({
      db: database.db,
      events: context.events,
      publicUrl: config.PUBLIC_URL,
      counters: authDeps.counters,
    }),
  );
  await app.register(sharedByMeRoutes({ db: database.db }));
  await app.register(
    linkRoutes({
      db: database.db,
      publicUrl: config.PUBLIC_URL,
      ring: authDeps.ring,
      pubsub: context.pubsub,
      auth: authDeps,
    }),
  );
  await app.register(
    linkVisitorRoutes({
      db: database.db,
      publicUrl: config.PUBLIC_URL,
      files: filesDeps,
      auth: authDeps,
    }),
  );
  await app.register(
    linkPageRoutes({ db: database.db, ring: authDeps.ring, hasWebApp: Boolean(webDir) }),
  );
  await app.register(webdavRoutes({ deps: filesDeps, authDeps }));
  await app.register(jobsRoutes({ db: database.db }));
  await app.register(accountRoutes({ auth: authDeps, files: filesDeps }));
  await app.register(
    adminRoutes({
      ...authDeps,
      cache: context.cache,
      defaultQuotaBytes: config.DEFAULT_QUOTA_BYTES,
    }),
  );
  await app.register(
    eventsRoutes({
      pubsub: context.pubsub,
      eventLog: context.eventLog,
      publicUrl: config.PUBLIC_URL,
      socketRoutes: [
        linkEventRoutes({
          db: database.db,
          pubsub: context.pubsub,
          publicUrl: config.PUBLIC_URL,
          auth: authDeps,
        }),
      ],
    }),
  );
  if (webDir) await registerWebApp(app, webDir);
  else logger.warn('The web app is not built (apps/web/dist); serving the API only.');
  return app;
};
