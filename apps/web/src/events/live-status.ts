import { createExternalStore } from '../ui/external-store.js';
import type { LiveStatus } from './live-events.js';

/** Whether pushed events arrive right now; without them, job progress is polled instead. */
const liveStatus = createExternalStore<LiveStatus>('offline');

export const setLiveStatus = liveStatus.set;
export const useLiveStatus = () => liveStatus.useSelect((status) => status);
