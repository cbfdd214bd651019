import { notFound } from '../../app/app-error.js';
import type { RequestAuth } from './auth.hooks.js';

/**
 * Another user's resource is answered exactly like a missing one (404 not_found, never 403),
 * so nothing leaks its existence. Returns the resource, narrowed to "present".
 */
export const assertOwnedOrNotFound = <
  R extends { ownerId: string | null } | { owner_id: string | null },
>(
  resource: R | null | undefined,
  auth: Pick<RequestAuth, 'userId'>,
  message?: string,
): R => {
  if (!resource) throw notFound(message);
  const ownerId = 'ownerId' in resource ? resource.ownerId : resource.owner_id;
  if (ownerId !== auth.userId) throw notFound(message);
  return resource;
};
