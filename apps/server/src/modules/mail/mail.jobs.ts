import { z } from 'zod';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import type { Mailer } from './mail.transport.js';

/** Plain mail with nothing secret in it (secrets in a queued payload would sit in the database). */
export const sendMailJob = defineJobType(
  'mail.send',
  z.object({ to: z.string(), subject: z.string(), text: z.string() }),
  { maxAttempts: 8 },
);

export const createSendMailHandler = ({ mailer }: { mailer: Mailer }) =>
  createJobHandler(sendMailJob, (message) => mailer.send(message));
