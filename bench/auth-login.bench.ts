/**
 * Login latency through the real server (`app.inject`: routing, CSRF, rate limit, argon2id,
 * session insert, JWT signing), with a bare argon2id verify measured in the same run as the
 * baseline. Run with `BENCH_FILTER=auth npm run bench`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from '../apps/server/src/app/app-context.js';
import { createServer } from '../apps/server/src/app/server.js';
import { parseConfig } from '../apps/server/src/config/config.js';
import {
  cookieHeaderOf,
  getPreSessionCsrf,
  signUpAndSignIn,
} from '../apps/server/src/modules/auth/auth.test-utils.js';
import {
  hashPassword,
  verifyPassword,
} from '../apps/server/src/modules/auth/passwords/passwords.models.js';
import type { Bench, BenchRow } from './bench.types.js';

const ROUNDS = 40;
const WARMUP = 5;

const summarise = (name: string, samples: number[]): BenchRow => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    case: name,
    n: samples.length,
    median_ms: +at(0.5).toFixed(2),
    p95_ms: +at(0.95).toFixed(2),
  };
};

const measure = async (rounds: number, work: (index: number) => Promise<void>) => {
  for (let index = 0; index < WARMUP; index++) await work(index);
  const samples: number[] = [];
  for (let index = 0; index < rounds; index++) {
    const started = process.hrtime.bigint();
    await work(index);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
};

const run = async (): Promise<BenchRow[]> => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-bench-auth-'));
  const context = await createAppContext(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const app = await createServer(context);
  try {
    const password = 'benchmark password 123';
    const hash = await hashPassword(password);
    const baseline = await measure(ROUNDS, async () => {
      if (!(await verifyPassword(hash, password))) throw new Error('verify failed');
    });

    const user = await signUpAndSignIn(app, { password });
    const pre = await getPreSessionCsrf(app);
    const headers = { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken };
    const login =
      (email: string, expected: number, tried = password) =>
      async (index: number) => {
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          // Spread over addresses so the per-IP limit measures nothing here.
          remoteAddress: `10.77.${Math.floor(index / 200)}.${index % 200}`,
          headers,
          payload: { email, password: tried },
        });
        if (response.statusCode !== expected) throw new Error(`login: ${response.statusCode}`);
      };
    const success = await measure(ROUNDS, login(user.email, 200));
    const unknown = await measure(ROUNDS, login('nobody@example.com', 401));
    const wrong = await measure(ROUNDS, login(user.email, 401, 'wrong password 123'));
    return [
      summarise('argon2id verify (baseline)', baseline),
      summarise('POST /api/auth/login (success)', success),
      summarise('POST /api/auth/login (unknown email)', unknown),
      summarise('POST /api/auth/login (wrong password)', wrong),
    ];
  } finally {
    await app.close();
    await context.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
};

export const bench: Bench = { name: 'auth-login', run };
