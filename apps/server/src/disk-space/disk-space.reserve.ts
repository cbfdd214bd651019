import { open, rm, stat } from 'node:fs/promises';

const CHUNK = Buffer.alloc(1024 * 1024);

/**
 * A file of real, written bytes (not a sparse one, which would hold no blocks) that keeps
 * `bytes` of the disk back. Making it fails when there is no room; releasing it frees the space.
 */
export const createReserveFile = ({ path, bytes }: { path: string; bytes: number }) => ({
  async isHeld(): Promise<boolean> {
    const stats = await stat(path).catch(() => undefined);
    return stats?.size === bytes;
  },

  async make(): Promise<void> {
    const handle = await open(path, 'w', 0o600);
    try {
      for (let written = 0; written < bytes;) {
        const { bytesWritten } = await handle.write(
          CHUNK,
          0,
          Math.min(CHUNK.byteLength, bytes - written),
        );
        written += bytesWritten;
      }
      // Space the file system only promised is not space held.
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(path, { force: true });
      throw error;
    }
    await handle.close();
  },

  release: () => rm(path, { force: true }),
});
