import { LINK_ENDED_CLOSE_CODE, type LinkEvent } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LiveStatus } from '../events/live-events.js';

type LinkMessage = { type: 'ready' } | { type: 'event'; event: LinkEvent };

const delays = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * A viewer link's page follows its folder live: each change refreshes the listings shown, a
 * change to the link's own item (or the link ending, close code 4410) reloads the visit, which
 * then shows what the server says (renamed, gone, expired). The socket has no replay, so every
 * reconnect refreshes the listings instead.
 */
export const useLinkLiveEvents = (token: string, enabled: boolean): LiveStatus => {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    let connectedBefore = false;
    const refreshListings = () =>
      void queryClient.invalidateQueries({ queryKey: ['link-children', token] });
    const refreshVisit = () =>
      void queryClient.invalidateQueries({ queryKey: ['link-visit', token] });

    const connect = () => {
      setStatus('connecting');
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const current = new WebSocket(
        `${scheme}://${location.host}/api/s/${encodeURIComponent(token)}/events`,
      );
      socket = current;
      current.onmessage = (message) => {
        if (typeof message.data !== 'string') return;
        let parsed: LinkMessage;
        try {
          parsed = JSON.parse(message.data) as LinkMessage;
        } catch {
          return;
        }
        if (parsed.type === 'ready') {
          failures = 0;
          setStatus('live');
          if (connectedBefore) refreshListings();
          connectedBefore = true;
          return;
        }
        if (parsed.event.node.parentId === null) refreshVisit();
        refreshListings();
      };
      current.onclose = (event) => {
        if (stopped || socket !== current) return;
        setStatus('offline');
        if (event.code === LINK_ENDED_CLOSE_CODE) {
          refreshVisit();
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
  }, [enabled, queryClient, token]);

  return status;
};
