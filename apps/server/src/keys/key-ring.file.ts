import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createKeyRingDocument,
  KeyRingError,
  parseKeyRingDocument,
  rotateKeyRingDocument,
  type KeyRingDocument,
} from './key-ring.models.js';

const fileName = (dataDir: string) => path.join(dataDir, 'keys', 'key-ring.json');

/** Written whole to a temp file and renamed, so a crash never leaves half a key ring. */
const writeKeyRingFile = async (dataDir: string, document: KeyRingDocument) => {
  const target = fileName(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await fs.writeFile(temp, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  await fs.chmod(temp, 0o600);
  await fs.rename(temp, target);
};

const readKeyRingFile = async (dataDir: string): Promise<KeyRingDocument | undefined> => {
  let text: string;
  try {
    text = await fs.readFile(fileName(dataDir), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseKeyRingDocument(text);
  } catch (error) {
    throw new KeyRingError(
      `${fileName(dataDir)} is not a valid key ring: ${(error as Error).message}`,
    );
  }
};

/** First start generates the ring; later starts read it. */
export const loadOrCreateKeyRingFile = async (dataDir: string, now = new Date()) => {
  const existing = await readKeyRingFile(dataDir);
  if (existing) return existing;
  const created = createKeyRingDocument(now);
  await writeKeyRingFile(dataDir, created);
  return created;
};

export const rotateKeyRingFile = async (dataDir: string, now = new Date()) => {
  const rotated = rotateKeyRingDocument(await loadOrCreateKeyRingFile(dataDir, now), now);
  await writeKeyRingFile(dataDir, rotated);
  return rotated;
};
