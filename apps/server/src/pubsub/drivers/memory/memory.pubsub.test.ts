import { describePubSubContract } from '../../pubsub.contract.js';
import { createMemoryPubSub, type MemoryHub } from './memory.pubsub.js';

const hub: MemoryHub = new Map();
describePubSubContract('memory', () => createMemoryPubSub({ hub }));
