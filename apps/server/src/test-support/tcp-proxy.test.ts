import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/** Opens a connection through the proxy and waits for it (or its error code). */
const connect = async (port: number) => {
  const socket = net.connect({ host: '127.0.0.1', port });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const errors: string[] = [];
  socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve()).once('close', () => resolve());
  });
  return {
    socket,
    errors,
    text: () => Buffer.concat(received).toString(),
    /** Sends `line` and waits up to `ms` for the echo. */
    async echo(line: string, ms = 1_000) {
      const before = Buffer.concat(received).length;
      socket.write(line);
      const deadline = Date.now() + ms;
      while (Date.now() < deadline && Buffer.concat(received).length < before + line.length) {
        if (socket.destroyed) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return Buffer.concat(received).subarray(before).toString();
    },
  };
};

describe('the fault-injecting TCP proxy', () => {
  let echo: net.Server;
  let proxy: TcpProxy;
  beforeAll(async () => {
    // The echo end sees the resets too.
    echo = net.createServer((socket) => socket.on('error', () => {}).pipe(socket));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const { port } = echo.address() as net.AddressInfo;
    proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: port });
  });
  afterAll(async () => {
    await proxy.close();
    echo.close();
  });

  test('pass forwards both ways', async () => {
    await proxy.setMode('pass');
    const link = await connect(proxy.port);
    expect(await link.echo('hello')).toBe('hello');
    link.socket.destroy();
  });

  test('slow delays every chunk', async () => {
    await proxy.setMode('slow', { delayMs: 150 });
    const link = await connect(proxy.port);
    const started = Date.now();
    expect(await link.echo('slowly')).toBe('slowly');
    // Two hops (there and back), each delayed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    link.socket.destroy();
    await proxy.setMode('pass');
  });

  test('blackhole holds bytes without closing, and delivers them when it ends', async () => {
    await proxy.setMode('pass');
    const link = await connect(proxy.port);
    await proxy.setMode('blackhole');
    expect(await link.echo('held', 300)).toBe('');
    expect(link.socket.destroyed).toBe(false);
    await proxy.setMode('pass');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(link.text()).toBe('held');
    link.socket.destroy();
  });

  test('reset sends RST to open connections and to every new one', async () => {
    await proxy.setMode('pass');
    const open = await connect(proxy.port);
    await proxy.setMode('reset');
    await new Promise((resolve) => open.socket.once('close', resolve));
    expect(open.errors).toContain('ECONNRESET');
    const next = await connect(proxy.port);
    if (!next.socket.destroyed) await new Promise((resolve) => next.socket.once('close', resolve));
    expect(next.errors).toContain('ECONNRESET');
    await proxy.setMode('pass');
  });

  test('refuse closes the port; pass opens it again on the same port', async () => {
    await proxy.setMode('refuse');
    const refused = await connect(proxy.port);
    expect(refused.errors).toContain('ECONNREFUSED');
    await proxy.setMode('pass');
    const link = await connect(proxy.port);
    expect(await link.echo('back')).toBe('back');
    link.socket.destroy();
    expect(proxy.stats().accepted).toBeGreaterThan(0);
  });
});
