import type { DomainEvent } from '@myfile/contract';
import { openReconnectingSocket, socketUrl, type LiveStatus } from './reconnecting-socket.js';

export type { LiveStatus } from './reconnecting-socket.js';

export type ServerMessage =
  { type: 'event'; id: string; event: DomainEvent } | { type: 'reset' } | { type: 'ready' };

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

/**
 * One WebSocket to /api/events that reconnects with backoff and asks the server to replay
 * what it missed (`?since=<last id>`).
 */
export const connectLiveEvents = (options: Options) => {
  let lastId: string | undefined;
  return openReconnectingSocket<ServerMessage>({
    url: () => socketUrl(`/api/events${lastId ? `?since=${encodeURIComponent(lastId)}` : ''}`),
    onMessage: (message) => {
      if (message.type === 'event') {
        lastId = message.id;
        options.onEvent(message.event);
      } else if (message.type === 'reset') options.onReset();
    },
    onStatus: options.onStatus,
    endedCode: SESSION_ENDED,
    onEnded: options.onSessionEnded,
    ...(options.createSocket ? { createSocket: options.createSocket } : {}),
  });
};
