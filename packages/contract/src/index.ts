export * from './auth.js';
export * from './errors.js';
export * from './events.js';
export * from './nodes.js';
