import fs from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  NUMERIC_OID,
  PGLITE_V8_FLAGS,
  pgliteSharedBuffersMb,
  toNumber,
  wrapPGlite,
  type DatabaseHandle,
} from './database.js';
import { DurableNodeFS, durableStartParams } from './pglite.durable-fs.js';
import { initPGliteDataDir } from './pglite.initdb.js';
import { bundledPGliteTemplate } from './pglite.template.js';

const pgliteParsers = { [pgliteTypes.INT8]: toNumber, [NUMERIC_OID]: toNumber };

/**
 * What every embedded database opens with: our parsers, and pg_trgm (PGlite ships it as a
 * loadable extension) for the trigram index behind name search.
 */
export const pgliteOptions = { parsers: pgliteParsers, extensions: { pg_trgm } };

/**
 * Process-wide, and read when a module is compiled: set before the first database opens. This
 * module is only loaded by a process that uses PGlite.
 */
const keepWasmOnBaselineCompiler = () => v8.setFlagsFromString(PGLITE_V8_FLAGS);

/**
 * `durable: false` is PGlite's own default (no fsync), kept only so the bench can show what
 * durability costs. A new database is a copy of `template` (by default the one the build put
 * beside the bundle; `null`: none, run initdb).
 */
export const openPGlite = async ({
  dataDir,
  durable = true,
  template,
}: {
  dataDir: string;
  durable?: boolean;
  template?: string | null;
}): Promise<DatabaseHandle> => {
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  await initPGliteDataDir(dataDir, {
    template: template === undefined ? await bundledPGliteTemplate() : (template ?? undefined),
  });
  keepWasmOnBaselineCompiler();
  const buffers = ['-c', `shared_buffers=${pgliteSharedBuffersMb()}MB`];
  const durableFs = durable ? new DurableNodeFS(dataDir) : undefined;
  const pglite = await PGlite.create(
    durableFs
      ? {
          fs: durableFs,
          startParams: [...durableStartParams, ...buffers],
          ...pgliteOptions,
        }
      : {
          dataDir,
          startParams: [...PGlite.defaultStartParams, ...buffers],
          ...pgliteOptions,
        },
  );
  return wrapPGlite(pglite, { wasmMemory: durableFs?.wasmMemory });
};
