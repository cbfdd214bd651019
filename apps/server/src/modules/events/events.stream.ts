import type { EventStreamMessage } from '@myfile/contract';
import type { EventEnvelope } from '../../event-bus/event-fanout.js';
import type { LoggedEvent } from '../../event-log/event-log.types.js';
import type { RequestAuth } from '../auth/auth.hooks.js';

export type ServerMessage = EventStreamMessage;

/** Close code for "your session (or token) has ended": the client should not reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4401;
const REMEMBERED_IDS = 2000;

/**
 * One socket's view of the user's channel. Live events that arrive while the replay is read
 * are held back and sent after it, each event once: ids seen in the replay are not resent.
 */
export const createEventStream = ({
  auth,
  send,
  close,
}: {
  auth: RequestAuth;
  send: (message: ServerMessage) => void;
  close: (code: number, reason: string) => void;
}) => {
  const sent = new Set<string>();
  let held: EventEnvelope[] | undefined = [];

  const deliver = ({ id, event }: EventEnvelope) => {
    if (sent.has(id)) return;
    sent.add(id);
    if (sent.size > REMEMBERED_IDS) sent.delete(sent.values().next().value ?? id);
    send({ type: 'event', id, event });
    if (event.type === 'session.revoked' && event.sessionId === auth.sessionId) {
      close(SESSION_ENDED_CLOSE_CODE, 'The session has ended.');
    }
    if (event.type === 'token.revoked' && event.tokenId === auth.tokenId) {
      close(SESSION_ENDED_CLOSE_CODE, 'The token was revoked.');
    }
  };

  return {
    /** The pub/sub handler: parses, then holds or delivers. */
    receive: (message: string) => {
      let envelope: EventEnvelope;
      try {
        envelope = JSON.parse(message) as EventEnvelope;
      } catch {
        return;
      }
      if (envelope.event.userId !== auth.userId) return;
      if (held) held.push(envelope);
      else deliver(envelope);
    },
    /** After subscribing: the replay (if asked for), then what was held, then `ready`. */
    start: (replay?: { events: LoggedEvent[]; complete: boolean }) => {
      if (replay && !replay.complete) send({ type: 'reset' });
      for (const entry of replay?.events ?? []) deliver(entry);
      const waiting = held ?? [];
      held = undefined;
      waiting.forEach(deliver);
      send({ type: 'ready' });
    },
  };
};
