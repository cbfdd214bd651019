import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPostgres } from '../db/database.js';
import { multipartBody } from '../modules/nodes/nodes.test-utils.js';
import { TUS_PATH } from '../modules/uploads/uploads.tus.js';
import { fixturesOf, type FixtureUser } from '../test-support/fixtures.js';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { testPostgresUrl, withDatabaseName } from '../test-support/test-services.js';

/**
 * PostgreSQL goes away (its TCP proxy refuses) while real clients send uploads of several MiB:
 * the server answers 503 before it reads the body, and the client must still read that answer
 * rather than fail its write with EPIPE or ECONNRESET.
 */
const BODY_BYTES = 6 * 1024 * 1024;

let database: TestDatabase;
let proxy: TcpProxy;
let testApp: TestApp;
let baseUrl: string;
let user: FixtureUser;

beforeAll(async () => {
  database = await createTestDatabase();
  const postgres = new URL(testPostgresUrl());
  proxy = await startTcpProxy({
    targetHost: postgres.hostname,
    targetPort: Number(postgres.port || 5432),
  });
  const viaProxy = new URL(testPostgresUrl());
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  testApp = await createTestApp({
    database: openPostgres({
      url: withDatabaseName(viaProxy.toString(), database.name),
      poolSize: 4,
    }),
  });
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
  user = await fixturesOf(testApp.context).newUser();
});

afterAll(async () => {
  await proxy?.setMode('pass');
  await testApp?.close();
  await proxy?.close();
  await database?.close();
});

type Sent = { status: number; body: string; writeError?: string };

/**
 * A plain node:http client writing `body` in 64 KiB chunks, one every 15 ms (about 1.5 s in
 * all), on a connection of its own (`Connection: close`). It is done once it has both read the
 * answer and finished (or failed) writing: a client that writes its whole body before reading
 * would have seen that write error instead of the answer.
 */
const send = (method: string, path: string, headers: Record<string, string>, body: Buffer) =>
  new Promise<Sent>((resolve, reject) => {
    let writeError: string | undefined;
    let answer: { status: number; body: string } | undefined;
    let written = false;
    const settle = () => {
      if (answer && written) resolve({ ...answer, ...(writeError ? { writeError } : {}) });
    };
    const request = http.request(
      `${baseUrl}${path}`,
      {
        method,
        headers: { ...headers, 'content-length': String(body.length), connection: 'close' },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          answer = { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() };
          settle();
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      writeError = error.code ?? error.message;
      written = true;
      // No answer came before the connection broke: the client only ever saw the error.
      setTimeout(() => (answer ? settle() : reject(error)), 200);
    });
    request.on('finish', () => {
      written = true;
      settle();
    });
    request.on('close', () => {
      if (written) return;
      writeError ??= 'closed before the body was sent';
      written = true;
      setTimeout(() => (answer ? settle() : reject(new Error(writeError))), 200);
    });
    const write = async () => {
      for (let at = 0; at < body.length && !request.destroyed; at += 64 * 1024) {
        await sleep(15);
        if (!request.write(body.subarray(at, at + 64 * 1024))) {
          await new Promise<void>((done) => {
            const next = () => {
              request.off('drain', next).off('close', next);
              done();
            };
            request.once('drain', next).once('close', next);
          });
        }
      }
      if (!request.destroyed) request.end();
    };
    void write();
  });

const expectUnavailable = (sent: Sent) => {
  expect(sent.writeError).toBeUndefined();
  expect(sent.status).toBe(503);
  expect(JSON.parse(sent.body)).toMatchObject({ error: { code: 'unavailable' } });
};

test('a multipart upload during a database outage reads its 503', async () => {
  const { payload, contentType } = multipartBody([
    { name: 'big.bin', content: randomBytes(BODY_BYTES) },
  ]);
  await proxy.setMode('refuse');
  try {
    const sent = await send(
      'POST',
      `/api/folders/${user.rootId}/files`,
      { ...user.headers, 'content-type': contentType },
      payload,
    );
    expectUnavailable(sent);
  } finally {
    await proxy.setMode('pass');
  }
});

test('a tus PATCH during a database outage reads its 503', async () => {
  const created = await fetch(`${baseUrl}${TUS_PATH}`, {
    method: 'POST',
    headers: {
      ...user.headers,
      'tus-resumable': '1.0.0',
      'upload-length': String(BODY_BYTES),
      'upload-metadata': `filename ${Buffer.from('big.bin').toString('base64')}`,
    },
  });
  expect(created.status).toBe(201);
  const location = new URL(created.headers.get('location') ?? '', baseUrl).pathname;
  await proxy.setMode('refuse');
  try {
    const sent = await send(
      'PATCH',
      location,
      {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      randomBytes(BODY_BYTES),
    );
    expectUnavailable(sent);
  } finally {
    await proxy.setMode('pass');
  }
});
