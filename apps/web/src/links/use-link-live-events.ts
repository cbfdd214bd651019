import { LINK_ENDED_CLOSE_CODE, type LinkStreamMessage } from '@myfile/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  openReconnectingSocket,
  socketUrl,
  type LiveStatus,
} from '../events/reconnecting-socket.js';

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
    let connectedBefore = false;
    const refreshListings = () =>
      void queryClient.invalidateQueries({ queryKey: ['link-children', token] });
    const refreshVisit = () =>
      void queryClient.invalidateQueries({ queryKey: ['link-visit', token] });
    return openReconnectingSocket<LinkStreamMessage>({
      url: () => socketUrl(`/api/s/${encodeURIComponent(token)}/events`),
      onMessage: (message) => {
        if (message.type === 'ready') {
          if (connectedBefore) refreshListings();
          connectedBefore = true;
          return;
        }
        if (message.event.node.parentId === null) refreshVisit();
        refreshListings();
      },
      onStatus: setStatus,
      endedCode: LINK_ENDED_CLOSE_CODE,
      onEnded: refreshVisit,
    });
  }, [enabled, queryClient, token]);

  return status;
};
