export type LiveStatus = 'connecting' | 'live' | 'offline';

// Short: after a server restart people should see "Live" again within seconds, not 30 s.
const delays = [500, 1_000, 2_000, 3_000, 5_000];

/**
 * A JSON WebSocket that reconnects with backoff until stopped or ended by the server. The
 * server's `{ type: 'ready' }` marks the stream live and resets the backoff; every message,
 * `ready` included, reaches `onMessage`. Returns the function that stops it.
 */
// M names what the server sends; like any JSON.parse it is trusted, not checked.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export const openReconnectingSocket = <M extends { type: string }>(options: {
  url: () => string;
  onMessage(message: M): void;
  onStatus(status: LiveStatus): void;
  /** The close code by which the server says the stream is over for good. */
  endedCode: number;
  onEnded(): void;
  createSocket?: (url: string) => WebSocket;
}) => {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  let socket: WebSocket | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = () => {
    options.onStatus('connecting');
    const current = createSocket(options.url());
    socket = current;
    current.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: M;
      try {
        parsed = JSON.parse(message.data) as M;
      } catch {
        return;
      }
      if (parsed.type === 'ready') {
        failures = 0;
        options.onStatus('live');
      }
      options.onMessage(parsed);
    };
    current.onclose = (event) => {
      if (stopped || socket !== current) return;
      options.onStatus('offline');
      if (event.code === options.endedCode) {
        options.onEnded();
        return;
      }
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 30_000;
      failures += 1;
      timer = setTimeout(connect, delay);
    };
  };

  // Back online (Wi-Fi returned, the laptop woke): try at once rather than wait for the timer.
  const reconnectNow = () => {
    // 0 connecting, 1 open (WebSocket.OPEN is not a global in every runtime the tests use).
    if (stopped || (socket && socket.readyState <= 1)) return;
    clearTimeout(timer);
    connect();
  };
  globalThis.addEventListener?.('online', reconnectNow);

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    globalThis.removeEventListener?.('online', reconnectNow);
    socket?.close();
  };
};

/** ws:// or wss:// on this page's host, as the page itself was served. */
export const socketUrl = (path: string) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
