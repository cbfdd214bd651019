import { WebSocket } from 'ws';
import type { ServerMessage } from './events.stream.js';

export type TestSocket = {
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
  /** Resolves once a message matching `predicate` has arrived. */
  waitFor(
    predicate: (message: ServerMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ServerMessage>;
};

/** Opens `/api/events`; rejects with the HTTP status when the upgrade is refused. */
export const openEventSocket = (
  url: string,
  headers: Record<string, string>,
): Promise<TestSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: ServerMessage[] = [];
    const listeners = new Set<() => void>();
    socket.on('message', (data: Buffer) => {
      messages.push(JSON.parse(data.toString()) as ServerMessage);
      listeners.forEach((listener) => listener());
    });
    const closed = new Promise<{ code: number; reason: string }>((resolveClosed) =>
      socket.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString() })),
    );
    socket.on('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        messages,
        closed,
        socket,
        waitFor: (predicate, timeoutMs = 5000) =>
          new Promise((resolveMessage, rejectMessage) => {
            const check = () => {
              const found = messages.find(predicate);
              if (!found) return false;
              listeners.delete(check);
              clearTimeout(timer);
              resolveMessage(found);
              return true;
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              rejectMessage(
                new Error(
                  `No matching message within ${timeoutMs} ms: ${JSON.stringify(messages)}`,
                ),
              );
            }, timeoutMs);
            if (!check()) listeners.add(check);
          }),
      }),
    );
  });
