import { describeEventLogContract } from '../../event-log.contract.js';
import { EVENT_LOG_WINDOW } from '../../event-log.types.js';
import { createMemoryEventLog } from './memory.event-log.js';

describeEventLogContract('memory', (maxEvents) =>
  createMemoryEventLog({ window: { ...EVENT_LOG_WINDOW, maxEvents } }),
);
