import type { StorageState } from '@myfile/contract';

const labels: Record<Exclude<StorageState, 'hot'>, string> = {
  archiving: 'Archiving…',
  archived: 'Archived',
  restoring: 'Restoring…',
};

export const StorageBadge = ({ state }: { state: StorageState }) =>
  state === 'hot' ? null : <span className={`badge badge-${state}`}>{labels[state]}</span>;
