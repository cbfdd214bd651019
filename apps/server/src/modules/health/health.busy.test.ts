import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

/**
 * A load balancer's health check must not queue behind the work it checks on. On a real
 * listening server, 300 requests stay in flight: half are uploads whose bodies trickle in a few
 * bytes at a time, half are folder reads queued for the embedded database, whose one connection
 * a long transaction holds. `/healthz` and `/readyz` must still answer at once, on connections
 * of their own.
 */
const IN_FLIGHT = 300;
const HEALTH_LIMIT_MS = 1_000;

let testApp: TestApp;
let port: number;
let user: FixtureUser;
const uploads: http.ClientRequest[] = [];
const reads: http.ClientRequest[] = [];
/** Requests that got an answer: none should, they are still waiting. */
const answered: number[] = [];

beforeAll(async () => {
  testApp = await createTestApp();
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  port = (testApp.app.server.address() as AddressInfo).port;
  user = await fixturesOf(testApp.context).newUser();
});

afterAll(async () => {
  for (const request of [...uploads, ...reads]) request.destroy();
  await testApp?.close();
});

/** Starts a multipart upload of 1 MiB and sends only its first bytes; the rest never comes. */
const startTricklingUpload = (agent: http.Agent) =>
  new Promise<void>((resolve, reject) => {
    const boundary = `----busy${uploads.length}`;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/folders/${user.rootId}/files`,
      agent,
      headers: {
        ...user.headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(1024 * 1024),
      },
    });
    request.on('error', reject);
    request.on('response', (response) => answered.push(response.statusCode ?? 0));
    uploads.push(request);
    request.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow-${uploads.length}.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\nfirst bytes',
      () => resolve(),
    );
  });

/** A folder read: it waits for the database like any request that needs it. */
const startRead = (agent: http.Agent) => {
  const request = http.get({
    host: '127.0.0.1',
    port,
    path: `/api/folders/${user.rootId}`,
    agent,
    headers: user.headers,
  });
  request.on('error', () => undefined);
  request.on('response', (response) => answered.push(response.statusCode ?? 0));
  reads.push(request);
};

const connectionsOf = (server: http.Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

const timeGet = (path: string) =>
  new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const started = performance.now();
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }),
        );
      })
      .on('error', reject)
      .setTimeout(5_000, () => reject(new Error(`${path} gave no answer within 5 s`)));
  });

test(`/healthz and /readyz answer within ${HEALTH_LIMIT_MS} ms with ${IN_FLIGHT} requests in flight`, async () => {
  const agent = new http.Agent({ keepAlive: false, maxSockets: IN_FLIGHT });
  // A long transaction holding the table every folder read needs.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const taken = new Promise<void>((resolve) => (holding = resolve));
  const transaction = testApp.context.database.db.transaction().execute(async (trx) => {
    // Every folder read needs this table, on PGlite (one connection) and PostgreSQL (a pool) alike.
    await sql`lock table nodes in access exclusive mode`.execute(trx);
    holding();
    await held;
  });
  await taken;
  for (let i = 0; i < IN_FLIGHT / 2; i += 1) startRead(agent);
  await Promise.all(Array.from({ length: IN_FLIGHT / 2 }, () => startTricklingUpload(agent)));
  // Keep every upload busy: a few more bytes each, now and then, while the checks run.
  const trickle = setInterval(() => {
    for (const upload of uploads) if (!upload.destroyed) upload.write('x');
  }, 100);
  try {
    // Every upload reached the server, which is busy with them, not idle.
    const deadline = Date.now() + 15_000;
    let open = 0;
    while ((open = await connectionsOf(testApp.app.server)) < IN_FLIGHT && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(open).toBeGreaterThanOrEqual(IN_FLIGHT);
    const rounds: { healthz: number; readyz: number }[] = [];
    for (let round = 0; round < 5; round += 1) {
      const [healthz, readyz] = await Promise.all([timeGet('/healthz'), timeGet('/readyz')]);
      expect(healthz.status).toBe(200);
      // Its verdict is the last background round's; the speed of the answer is what counts here.
      expect([200, 503]).toContain(readyz.status);
      rounds.push({ healthz: healthz.ms, readyz: readyz.ms });
    }
    const worst = {
      healthz: Math.max(...rounds.map((round) => round.healthz)),
      readyz: Math.max(...rounds.map((round) => round.readyz)),
    };
    console.info(
      `health under ${IN_FLIGHT} requests in flight: worst /healthz ${worst.healthz.toFixed(1)} ms, /readyz ${worst.readyz.toFixed(1)} ms (5 rounds)`,
    );
    expect(answered).toEqual([]);
    expect(worst.healthz).toBeLessThan(HEALTH_LIMIT_MS);
    expect(worst.readyz).toBeLessThan(HEALTH_LIMIT_MS);
  } finally {
    clearInterval(trickle);
    release();
    await transaction;
    agent.destroy();
  }
});
