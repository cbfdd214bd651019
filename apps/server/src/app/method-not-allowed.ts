import type { FastifyInstance, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

/**
 * A path that exists under other methods answers 405 with `Allow` (RFC 9110 §15.5.6), not
 * 404: a client then knows its method, not its URL, is wrong. Fastify only says "no route",
 * so the routes are mirrored here (method and pattern, no handlers) as they are added.
 */
export const trackAllowedMethods = (app: FastifyInstance) => {
  const mirror = FindMyWay({ ignoreTrailingSlash: false });
  const registered = new Set<string>();
  const methodsSeen = new Set<HTTPMethod>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // A catch-all (CORS preflights answer OPTIONS anywhere) says nothing about a path.
    if (route.url === '*' || route.url === '/*') return;
    for (const method of methods) {
      const key = `${method} ${route.url}`;
      if (registered.has(key)) continue;
      registered.add(key);
      methodsSeen.add(method as HTTPMethod);
      mirror.on(method as HTTPMethod, route.url, () => undefined);
    }
  });
  /** The methods this request's path answers to, or [] when the path is unknown. */
  return (request: FastifyRequest): string[] => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = [...methodsSeen].filter(
      (method) => method !== request.method && mirror.find(method, path) !== null,
    );
    return allowed;
  };
};
