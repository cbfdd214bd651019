import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What the link between the app and a service does:
 * - `pass`: forwards bytes both ways.
 * - `refuse`: the port is closed (connect gets ECONNREFUSED) and open connections are reset.
 * - `reset`: open connections are reset (RST) and every new one is reset at once.
 * - `blackhole`: nothing moves either way and nothing is closed, as when packets are dropped;
 *   what was sent is delivered when the hole ends, as TCP would retransmit it.
 * - `slow`: every chunk waits `delayMs` before it is passed on.
 */
export type LinkMode = 'pass' | 'refuse' | 'reset' | 'blackhole' | 'slow';

export type TcpProxy = {
  readonly port: number;
  readonly mode: LinkMode;
  /** Connections accepted since the start, and those still open. */
  stats(): { accepted: number; open: number };
  /**
   * `strandOpen`: every connection open now stays open but never carries another byte, as
   * when a NAT or firewall forgot them during an outage; new connections work.
   */
  setMode(mode: LinkMode, options?: { delayMs?: number; strandOpen?: boolean }): Promise<void>;
  close(): Promise<void>;
};

/**
 * A TCP proxy a test controls, standing between the app and PostgreSQL, Redis or S3 so a fault
 * cuts a real connection. Listens on an ephemeral port of 127.0.0.1.
 */
export const startTcpProxy = async ({
  targetHost,
  targetPort,
}: {
  targetHost: string;
  targetPort: number;
}): Promise<TcpProxy> => {
  let mode: LinkMode = 'pass';
  let delayMs = 0;
  let accepted = 0;
  type Link = { client: net.Socket; upstream: net.Socket; stranded: boolean };
  const links = new Set<Link>();
  // Resolved while bytes may move; replaced by a pending promise during a black hole.
  let flowing: Promise<void> = Promise.resolve();
  let endHole: (() => void) | undefined;

  const resetAll = () => {
    for (const { client, upstream } of links) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    links.clear();
  };

  // Reads one side and writes the other, chunk by chunk: a paused reader is how a black hole
  // and a slow link push back on the sender.
  const forward = async (from: net.Socket, to: net.Socket, link: Link) => {
    try {
      for await (const chunk of from as AsyncIterable<Buffer>) {
        await flowing;
        if (link.stranded) continue;
        if (mode === 'slow' && delayMs > 0) await sleep(delayMs);
        if (to.destroyed) return;
        if (!to.write(chunk)) await once(to, 'drain');
      }
      to.end();
    } catch {
      to.destroy();
    }
  };

  const onConnection = (client: net.Socket) => {
    accepted += 1;
    client.on('error', () => {});
    if (mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: targetPort });
    const link: Link = { client, upstream, stranded: false };
    links.add(link);
    const drop = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    void forward(client, upstream, link);
    void forward(upstream, client, link);
  };

  const server = net.createServer({ pauseOnConnect: false }, onConnection);
  const listen = async (port: number) => {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  };
  await listen(0);
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('The proxy has no port.');
  const port = address.port;

  return {
    port,
    get mode() {
      return mode;
    },
    stats: () => ({ accepted, open: links.size }),
    async setMode(next, options = {}) {
      const previous = mode;
      mode = next;
      delayMs = options.delayMs ?? 0;
      if (options.strandOpen) for (const link of links) link.stranded = true;
      if (next === 'blackhole' && !endHole) {
        flowing = new Promise<void>((resolve) => (endHole = resolve));
      } else if (next !== 'blackhole' && endHole) {
        endHole();
        endHole = undefined;
        flowing = Promise.resolve();
      }
      if (next === 'reset' || next === 'refuse') resetAll();
      if (next === 'refuse' && server.listening) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      if (previous === 'refuse' && next !== 'refuse' && !server.listening) await listen(port);
    },
    async close() {
      endHole?.();
      resetAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
