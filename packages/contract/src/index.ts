export * from './auth.js';
export * from './errors.js';
export * from './events.js';
export * from './jobs.js';
export * from './links.js';
export * from './nodes.js';
export * from './sharing.js';
export * from './formats.js';
