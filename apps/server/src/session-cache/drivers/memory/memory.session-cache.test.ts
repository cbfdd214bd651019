import { describeSessionCacheContract } from '../../session-cache.contract.js';
import { createMemorySessionCache } from './memory.session-cache.js';

describeSessionCacheContract('memory', (ttlSeconds) => createMemorySessionCache(ttlSeconds));
