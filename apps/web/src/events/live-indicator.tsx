import { useLiveEvents } from './use-live-events.js';

const labels = { live: 'Live', connecting: 'Connecting…', offline: 'Offline: reconnecting…' };

/** Runs the live connection for the signed-in shell and says whether changes arrive live. */
export const LiveIndicator = () => {
  const status = useLiveEvents();
  return (
    <span
      className={`live-indicator live-${status}`}
      role="status"
      aria-label={`Live updates: ${labels[status]}`}
    >
      <span aria-hidden="true" className="live-dot" />
      {labels[status]}
    </span>
  );
};
