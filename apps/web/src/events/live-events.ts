import type { DomainEvent } from '@myfile/contract';

export type ServerMessage =
  { type: 'event'; id: string; event: DomainEvent } | { type: 'reset' } | { type: 'ready' };

export type LiveStatus = 'connecting' | 'live' | 'offline';

type Options = {
  onEvent(event: DomainEvent): void;
  /** Replay was impossible: everything cached may be stale. */
  onReset(): void;
  onStatus(status: LiveStatus): void;
  /** The server closed the socket because the session ended. */
  onSessionEnded(): void;
  createSocket?: (url: string) => WebSocket;
};

const SESSION_ENDED = 4401;
const delays = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * One WebSocket to /api/events that reconnects with backoff and asks the server to replay
 * what it missed (`?since=<last id>`).
 */
export const connectLiveEvents = (options: Options) => {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  let lastId: string | undefined;
  let socket: WebSocket | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const url = () => {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
    return lastId ? `${base}?since=${encodeURIComponent(lastId)}` : base;
  };

  const connect = () => {
    options.onStatus('connecting');
    const current = createSocket(url());
    socket = current;
    current.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: ServerMessage;
      try {
        parsed = JSON.parse(message.data) as ServerMessage;
      } catch {
        return;
      }
      switch (parsed.type) {
        case 'event':
          lastId = parsed.id;
          options.onEvent(parsed.event);
          return;
        case 'reset':
          options.onReset();
          return;
        case 'ready':
          failures = 0;
          options.onStatus('live');
          return;
      }
    };
    current.onclose = (event) => {
      if (stopped || socket !== current) return;
      options.onStatus('offline');
      if (event.code === SESSION_ENDED) {
        options.onSessionEnded();
        return;
      }
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 30_000;
      failures += 1;
      timer = setTimeout(connect, delay);
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
};
