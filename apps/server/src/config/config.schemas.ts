import { z } from 'zod';

/** Environment values are strings; these turn them into typed values with readable errors. */
export const integerFromEnv = ({ min, max }: { min: number; max: number }) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const urlFromEnv = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .superRefine((value, context) => {
      if (!URL.canParse(value)) {
        context.addIssue({ code: 'custom', message: 'must be a URL' });
      } else if (!protocols.includes(new URL(value).protocol.replace(/:$/, ''))) {
        const allowed = protocols.map((protocol) => `${protocol}://`).join(' or ');
        context.addIssue({ code: 'custom', message: `must start with ${allowed}` });
      }
    });

export const logLevelFromEnv = z.enum([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]);
