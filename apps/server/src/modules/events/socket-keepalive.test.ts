import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { keepSocketAlive } from './socket-keepalive.js';

let server: WebSocketServer | undefined;
afterEach(() => server?.close());

/** A real server socket kept alive every 50 ms, and a client that answers pings or not. */
const connect = async (autoPong: boolean) => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const closed = new Promise<number>((resolve) => {
    server?.on('connection', (socket) => {
      const started = Date.now();
      keepSocketAlive(socket, () => resolve(Date.now() - started), 50);
    });
  });
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    autoPong,
  });
  await once(client, 'open');
  return { client, closed };
};

test('a client that stops answering pings (a half-open link) is cut, and onClose runs', async () => {
  const { closed } = await connect(false);
  // One ping unanswered is forgiven; the next round cuts it.
  expect(await closed).toBeLessThan(1_000);
});

test('a client that answers pings stays connected', async () => {
  const { client, closed } = await connect(true);
  const outcome = await Promise.race([
    closed.then(() => 'cut'),
    new Promise((resolve) => setTimeout(() => resolve('open'), 400)),
  ]);
  expect(outcome).toBe('open');
  client.close();
  await closed;
});
