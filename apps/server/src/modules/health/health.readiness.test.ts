import { afterEach, describe, expect, test } from 'vitest';
import type { DiskState } from '../../disk-space/disk-space.monitor.js';
import { startReadinessProbe } from './health.readiness.js';

const diskOf = (state: Partial<DiskState> = {}) => ({
  state: (): DiskState => ({
    freeBytes: 1e12,
    low: false,
    full: false,
    reserveHeld: true,
    ...state,
  }),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('readiness probe', () => {
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  test('answers the last verdict at once while a check is slow, without running one per call', async () => {
    let pings = 0;
    let slow = false;
    const probe = startReadinessProbe({
      checks: [
        {
          run: async () => {
            pings++;
            if (slow) await sleep(2_000);
          },
          failure: 'The database is unreachable.',
        },
      ],
      disk: diskOf(),
      intervalMs: 20,
    });
    stops.push(probe.stop);
    await probe.assertReady();
    slow = true;
    await sleep(50);
    const started = Date.now();
    for (let i = 0; i < 100; i++) await probe.assertReady();
    expect(Date.now() - started).toBeLessThan(200);
    expect(pings).toBeLessThan(10);
  });

  test('a failed check makes it unready with the check’s message; a later success makes it ready', async () => {
    let down = true;
    const probe = startReadinessProbe({
      checks: [
        {
          run: async () => {
            if (down) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
          },
          failure: 'The database is unreachable.',
        },
      ],
      disk: diskOf(),
      intervalMs: 20,
    });
    stops.push(probe.stop);
    await expect(probe.assertReady()).rejects.toMatchObject({
      statusCode: 503,
      code: 'unavailable',
      message: 'The database is unreachable.',
    });
    down = false;
    await sleep(100);
    await expect(probe.assertReady()).resolves.toBeUndefined();
  });

  test('a hung check counts as a failure after its timeout', async () => {
    const probe = startReadinessProbe({
      checks: [
        { run: () => new Promise<void>(() => {}), failure: 'The blob store is unreachable.' },
      ],
      disk: diskOf(),
      timeoutMs: 50,
    });
    stops.push(probe.stop);
    await expect(probe.assertReady()).rejects.toMatchObject({ statusCode: 503 });
  });

  test('low disk makes it unready with 507 insufficient_storage', async () => {
    const probe = startReadinessProbe({ checks: [], disk: diskOf({ low: true }) });
    stops.push(probe.stop);
    await expect(probe.assertReady()).rejects.toMatchObject({
      statusCode: 507,
      code: 'insufficient_storage',
    });
  });
});
