import { z } from 'zod';

/**
 * Every change pushed to a user's open tabs. Modules add their variants here, so the server
 * emits and the web app consumes one typed union.
 */
const base = { userId: z.string(), at: z.string() };

export const jobEventSchema = z.object({
  ...base,
  type: z.enum(['job.updated']),
  job: z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
  }),
});

export const domainEventSchema = z.discriminatedUnion('type', [jobEventSchema]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];
