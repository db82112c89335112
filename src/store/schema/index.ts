// One file per area; each area owns its tables. Migrations are generated from all of them.
export * from './customers.js';
export * from './communications.js';
export * from './auth.js';
export * from './capture.js';
export * from './email.js';
export * from './slack.js';
export * from './webhooks.js';
export * from './digest.js';
export * from './analytics.js';
export * from './inbox.js';
export * from './kinds.js';
export * from './console.js';
export * from './data-rights.js';
