import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { sessionQueryKey, useSession } from '../session/session-context.js';
import { useToasts } from '../ui/toasts.js';
import { archiveToast } from './archive-toast.js';
import { invalidateForEvent, roundsOfInvalidation } from './event-invalidation.js';
import { connectLiveEvents, type LiveStatus } from './live-events.js';
import { setLiveStatus } from './live-status.js';

/** Keeps every cached view in step with changes made in other tabs, devices or scripts. */
export const useLiveEvents = () => {
  const session = useSession();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const [status, setStatus] = useState<LiveStatus>('offline');
  const toastsRef = useRef(toasts);
  toastsRef.current = toasts;
  const signedIn = session.status === 'signed-in';

  useEffect(() => {
    if (!signedIn) return;
    const rounds = roundsOfInvalidation(queryClient);
    const stop = connectLiveEvents({
      onEvent: (event) => {
        invalidateForEvent(queryClient, event, rounds.invalidate);
        const toast = archiveToast(event);
        if (toast) toastsRef.current.show(toast.message, toast.tone, toast.link);
      },
      onReset: () =>
        void queryClient.invalidateQueries({
          predicate: (query) => query.queryKey[0] !== 'session',
        }),
      onStatus: (next) => {
        setStatus(next);
        setLiveStatus(next);
      },
      onSessionEnded: () => void queryClient.invalidateQueries({ queryKey: sessionQueryKey }),
    });
    return () => {
      stop();
      rounds.stop();
      setLiveStatus('offline');
    };
  }, [signedIn, queryClient]);

  return status;
};
