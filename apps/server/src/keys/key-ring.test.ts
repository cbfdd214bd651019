import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadOrCreateKeyRingFile, rotateKeyRingFile } from './key-ring.file.js';
import {
  KEY_LIFETIME_DAYS,
  KeyRingError,
  rotateKeyRingDocument,
  toKeyRing,
  createKeyRingDocument,
} from './key-ring.models.js';

const DAY = 86_400_000;
const start = new Date('2026-01-01T00:00:00Z');

describe('key ring model', () => {
  test('the newest key signs and every unexpired key verifies', () => {
    const first = createKeyRingDocument(start);
    const second = rotateKeyRingDocument(first, new Date(start.getTime() + 30 * DAY));
    const ring = toKeyRing(second, new Date(start.getTime() + 31 * DAY));
    expect(ring.current.kid).toBe(second.keys[0]?.kid);
    expect(ring.all.map((key) => key.kid)).toEqual([second.keys[0]?.kid, first.keys[0]?.kid]);
    expect(ring.byKid(first.keys[0]?.kid ?? '')).toBeDefined();
    expect(ring.current.hmacSecret).toHaveLength(32);
    expect(ring.current.publicKey.asymmetricKeyType).toBe('ed25519');
  });

  test('an expired key stops verifying and is dropped by the next rotation', () => {
    const first = createKeyRingDocument(start);
    const later = new Date(start.getTime() + (KEY_LIFETIME_DAYS + 1) * DAY);
    const second = rotateKeyRingDocument(first, new Date(start.getTime() + 30 * DAY));
    expect(toKeyRing(second, later).byKid(first.keys[0]?.kid ?? '')).toBeUndefined();
    expect(rotateKeyRingDocument(second, later).keys).toHaveLength(2);
  });

  test('a ring whose keys have all expired is refused', () => {
    const first = createKeyRingDocument(start);
    expect(() => toKeyRing(first, new Date(start.getTime() + 100 * DAY))).toThrow(KeyRingError);
  });
});

describe('key ring file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-keys-'));
  });
  afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

  test('first load creates an owner-only file; later loads read the same ring', async () => {
    const created = await loadOrCreateKeyRingFile(dataDir);
    const file = path.join(dataDir, 'keys', 'key-ring.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKeyRingFile(dataDir)).toEqual(created);
  });

  test('rotate adds a newer signing key and keeps the old one for verification', async () => {
    const created = await loadOrCreateKeyRingFile(dataDir);
    const rotated = await rotateKeyRingFile(dataDir, new Date(Date.now() + 1000));
    expect(rotated.keys).toHaveLength(2);
    expect(rotated.keys[1]).toEqual(created.keys[0]);
    expect(toKeyRing(rotated, new Date(Date.now() + 2000)).current.kid).toBe(rotated.keys[0]?.kid);
    expect((await fs.stat(path.join(dataDir, 'keys', 'key-ring.json'))).mode & 0o777).toBe(0o600);
  });

  test('a corrupt key ring file is refused with a clear error', async () => {
    await fs.mkdir(path.join(dataDir, 'keys'));
    await fs.writeFile(
      path.join(dataDir, 'keys', 'key-ring.json'),
      '{"version":1,"keys":[{"kid":""}]}',
    );
    await expect(loadOrCreateKeyRingFile(dataDir)).rejects.toThrow(/is not a valid key ring/);
  });
});
