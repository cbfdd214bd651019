import type { FastifyRequest } from 'fastify';
import { getAuth } from '../auth/auth.hooks.js';
import { userActor, type Actor } from './access.models.js';

/** Who a request acts as, for the authorization rule. For handlers after requireAuth. */
export const actorOf = (request: FastifyRequest): Actor => userActor(getAuth(request).userId);
