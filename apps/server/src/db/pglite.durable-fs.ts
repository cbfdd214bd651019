import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * PGlite's start flags with fsync on: its defaults carry `-F` (fsync off). The WAL is synced
 * with fsync(), not the platform default fdatasync(), because fsync() is the one sync call the
 * WebAssembly file layer can hand to the real file (fdatasync() is a no-op there).
 */
export const durableStartParams = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'wal_sync_method=fsync',
];

/** The part of a WebAssembly.Memory read here (the project's TypeScript has no DOM types). */
export type WasmMemory = { readonly buffer: { readonly byteLength: number } };

/** The part of Emscripten's NODEFS this needs: every open file's stream operations. */
type NodeFsStreamOps = {
  stream_ops: { fsync?: (stream: { nfd?: number }) => number };
};

/**
 * The WebAssembly build's node file system (NODEFS) has no fsync of its own, so PostgreSQL's
 * fsync() returned success having synced nothing. This file system passes it on to the real
 * file descriptor, so a commit PGlite acknowledges is on disk.
 */
export class DurableNodeFS extends NodeFS {
  /** PostgreSQL's WebAssembly memory, kept so its size can be reported. */
  wasmMemory: WasmMemory | undefined;

  override async init(...args: Parameters<NodeFS['init']>) {
    const { emscriptenOpts } = await super.init(...args);
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        preRun: [
          ...(emscriptenOpts.preRun ?? []),
          (module: { NODEFS: unknown; wasmMemory?: WasmMemory }) => {
            this.wasmMemory = module.wasmMemory;
            const nodefs = module.NODEFS as NodeFsStreamOps;
            nodefs.stream_ops.fsync = (stream) => {
              if (stream.nfd !== undefined) fs.fsyncSync(stream.nfd);
              return 0;
            };
          },
        ],
      },
    };
  }
}
