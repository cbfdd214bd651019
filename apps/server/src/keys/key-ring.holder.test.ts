import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { loadOrCreateKeyRingFile, rotateKeyRingFile } from './key-ring.file.js';
import { createKeyRingHolder } from './key-ring.holder.js';

describe('key ring holder', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-holder-'));
  });
  afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

  test('a running process picks up a rotation on its periodic reload', async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    const holder = await createKeyRingHolder({
      load: () => loadOrCreateKeyRingFile(dataDir),
      intervalMs: 50,
      logger,
    });
    const before = holder.current().current.kid;
    const rotated = await rotateKeyRingFile(dataDir, new Date(Date.now() + 1000));
    await vi.waitFor(() => expect(holder.current().current.kid).toBe(rotated.keys[0]?.kid), {
      timeout: 2000,
    });
    expect(holder.current().byKid(before)).toBeDefined();
    holder.stop();
  });

  test('a failed reload keeps the last good ring', async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    let fail = false;
    const holder = await createKeyRingHolder({
      load: async () => {
        if (fail) throw new Error('secrets service down');
        return loadOrCreateKeyRingFile(dataDir);
      },
      intervalMs: 20,
      logger,
    });
    const kid = holder.current().current.kid;
    fail = true;
    await sleep(80);
    expect(holder.current().current.kid).toBe(kid);
    expect(logger.warn).toHaveBeenCalled();
    holder.stop();
  });
});
