import type { WebSocket } from 'ws';

const HEARTBEAT_MS = 30_000;

/**
 * Pings the socket every 30 s and cuts it when the last ping went unanswered: a half-open TCP
 * link (a laptop that slept, a dropped NAT entry) never closes by itself. `onClose` runs once
 * the socket is gone, however it went.
 */
export const keepSocketAlive = (
  socket: WebSocket,
  onClose: () => void,
  intervalMs = HEARTBEAT_MS,
) => {
  let alive = true;
  const heartbeat = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, intervalMs);
  socket.on('pong', () => (alive = true));
  socket.on('close', () => {
    clearInterval(heartbeat);
    onClose();
  });
};

/** Sends a JSON message while the socket is open; a closing socket drops it. */
export const sendJson = (socket: WebSocket) => (message: object) => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
};
