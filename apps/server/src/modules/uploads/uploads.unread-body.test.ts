import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';
import { TUS_PATH } from './uploads.tus.js';

/**
 * Answers an upload gets without its body being stored (507 on a full disk, an idempotent
 * replay) reach a real client that is still writing several MiB, and a replay leaves the
 * connection usable for the next request.
 */
const BODY_BYTES = 6 * 1024 * 1024;
let testApp: TestApp;
let user: FixtureUser;
let port: number;

beforeAll(async () => {
  testApp = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(2 * BODY_BYTES) } });
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  port = (testApp.app.server.address() as AddressInfo).port;
  user = await fixturesOf(testApp.context).newUser();
});
afterAll(() => testApp.close());

type Sent = { status: number; headers: http.IncomingHttpHeaders; body: string; socket: unknown };

/** Writes `body` in 64 KiB chunks a few ms apart, and resolves with the answer it read. */
const send = (
  agent: http.Agent | false,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer = Buffer.alloc(0),
) =>
  new Promise<Sent>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
            socket: request.socket,
          }),
        );
      },
    );
    // A write that fails before the answer arrived is what this guards against.
    request.on('error', reject);
    void (async () => {
      for (let at = 0; at < body.length && !request.destroyed; at += 64 * 1024) {
        await sleep(2);
        if (!request.write(body.subarray(at, at + 64 * 1024))) {
          await new Promise((done) => request.once('drain', done));
        }
      }
      request.end();
    })();
  });

const whileDiskFull = async <T>(run: () => Promise<T>) => {
  const disk = testApp.context.disk as { state: typeof testApp.context.disk.state };
  const state = disk.state.bind(disk);
  disk.state = () => ({ ...state(), full: true });
  try {
    return await run();
  } finally {
    disk.state = state;
  }
};

test('a multipart upload refused up front on a full disk: the client still reads its 507', async () => {
  const { payload, contentType } = multipartBody([
    { name: 'big.bin', content: randomBytes(BODY_BYTES) },
  ]);
  const sent = await whileDiskFull(() =>
    send(
      false,
      'POST',
      '/api/folders/root/files',
      { ...user.headers, 'content-type': contentType },
      payload,
    ),
  );
  expect(sent.status).toBe(507);
  expect(JSON.parse(sent.body)).toMatchObject({ error: { code: 'insufficient_storage' } });
  // The rest of the body was never going to be read: the connection is not kept.
  expect(sent.headers.connection).toBe('close');
});

test('a tus PATCH refused up front on a full disk: the client still reads its 507', async () => {
  const created = await send(false, 'POST', TUS_PATH, {
    ...user.headers,
    'tus-resumable': '1.0.0',
    'upload-length': String(BODY_BYTES),
    'upload-metadata': `filename ${Buffer.from('big.bin').toString('base64')}`,
  });
  expect(created.status, created.body).toBe(201);
  const sent = await whileDiskFull(() =>
    send(
      false,
      'PATCH',
      new URL(String(created.headers.location), 'http://x').pathname,
      {
        ...user.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      randomBytes(BODY_BYTES),
    ),
  );
  expect(sent.status).toBe(507);
  expect(JSON.parse(sent.body)).toMatchObject({ error: { code: 'insufficient_storage' } });
});

test('an Idempotency-Key replay of several MiB answers 201 again, and the connection serves the next request', async () => {
  const { payload, contentType } = multipartBody([
    { name: 'once.bin', content: randomBytes(BODY_BYTES) },
  ]);
  const headers = { ...user.headers, 'content-type': contentType, 'idempotency-key': randomUUID() };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await send(agent, 'POST', '/api/folders/root/files', headers, payload);
    expect(first.status, first.body).toBe(201);
    const replay = await send(agent, 'POST', '/api/folders/root/files', headers, payload);
    expect(replay.status, replay.body).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(replay.body)).toEqual(JSON.parse(first.body));
    const next = await send(agent, 'GET', '/api/usage', user.headers);
    expect(next.status).toBe(200);
    expect(JSON.parse(next.body)).toMatchObject({ usedBytes: BODY_BYTES, fileCount: 1 });
    // All three went over one connection: the replay left nothing unread on it.
    expect(new Set([first.socket, replay.socket, next.socket]).size).toBe(1);
  } finally {
    agent.destroy();
  }
});
