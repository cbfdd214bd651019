import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { sessionQueryKey, useSession } from '../session/session-context.js';
import { useToasts } from '../ui/toasts.js';
import { invalidateForEvent } from './event-invalidation.js';
import { connectLiveEvents, type LiveStatus } from './live-events.js';

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
    return connectLiveEvents({
      onEvent: (event) => {
        invalidateForEvent(queryClient, event);
        if (event.type === 'job.updated' && event.job.name.includes('restore')) {
          if (event.job.status === 'done')
            toastsRef.current.show(
              'The restore finished: the folder is available again.',
              'success',
            );
          if (event.job.status === 'failed')
            toastsRef.current.show(
              `The restore failed: ${event.job.error ?? 'unknown error'}.`,
              'error',
            );
        }
      },
      onReset: () =>
        void queryClient.invalidateQueries({
          predicate: (query) => query.queryKey[0] !== 'session',
        }),
      onStatus: setStatus,
      onSessionEnded: () => void queryClient.invalidateQueries({ queryKey: sessionQueryKey }),
    });
  }, [signedIn, queryClient]);

  return status;
};
