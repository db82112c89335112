// One file per area; each area owns its tables. Migrations are generated from all of them.
export * from './customers.js';
export * from './communications.js';
export * from './auth.js';
