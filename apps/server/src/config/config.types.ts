import type { z } from 'zod';

/** One environment variable: how to parse it and the line `myfile help config` prints. */
export type Setting = {
  schema: z.ZodType;
  doc: string;
  /** Shown by `help config` when the schema's default says too little. */
  defaultLabel?: string;
  /** Never echoed back in an error message. */
  secret?: boolean;
};

export type ConfigFragment = Record<string, Setting>;

export type ParsedFragment<F extends ConfigFragment> = {
  [K in keyof F]: z.output<F[K]['schema']>;
};
