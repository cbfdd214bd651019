import fs from 'node:fs/promises';
import path from 'node:path';

/** The embedded defaults' layout; `keys/` holds secrets, so only the owner may read it. */
export const ensureDataDir = async (dataDir: string) => {
  await fs.mkdir(dataDir, { recursive: true });
  for (const sub of ['db', 'blobs', 'archive', 'outbox']) {
    await fs.mkdir(path.join(dataDir, sub), { recursive: true });
  }
  await fs.mkdir(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  await fs.chmod(path.join(dataDir, 'keys'), 0o700);
};
