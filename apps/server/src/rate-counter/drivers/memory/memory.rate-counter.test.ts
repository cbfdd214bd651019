import { describeRateCounterContract } from '../../rate-counter.contract.js';
import { createMemoryRateCounter } from './memory.rate-counter.js';

describeRateCounterContract('memory', () => createMemoryRateCounter());
