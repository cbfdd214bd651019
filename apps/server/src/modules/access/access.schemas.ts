import { z } from 'zod';

/** The caller's effective role on a node, so a client can show a read-only view. */
export const roleSchema = z.enum(['owner', 'editor', 'viewer', 'uploader']);
